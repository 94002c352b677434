import { describe, expect, it } from 'vitest';
import { parseListen } from '../../src/main/faces/cli/commands/proxy';
import { clashOf, countsOf, listenerId, planConnection, retryDelayMs } from '../../src/main/wake-proxy/model';
import type { WakeProxyListener, WakeProxyView } from '../../src/shared/contract/wake-proxy';

describe('wake-proxy model', () => {
  const l = (over: Partial<WakeProxyListener>): WakeProxyListener => ({ id: 'a', serverId: 'nas', listenHost: '127.0.0.1', listenPort: 4445, targetPort: 445, timeoutMs: 180_000, enabled: true, ...over });

  it('plans: splice when up, wake when asleep or off, try when it does not know', () => {
    expect(planConnection('on')).toBe('splice');
    expect(planConnection('suspended')).toBe('wake');
    expect(planConnection('off')).toBe('wake');
    expect(planConnection('waking')).toBe('wake');
    expect(planConnection('unknown')).toBe('try');
    expect(planConnection('suspending')).toBe('try');
  });

  it('clashes, ids, retries, counts', () => {
    expect(clashOf([l({})], { listenHost: '127.0.0.1', listenPort: 4445 })?.id).toBe('a');
    expect(clashOf([l({ listenHost: '0.0.0.0' })], { listenHost: '127.0.0.1', listenPort: 4445 })?.id).toBe('a');
    expect(clashOf([l({})], { listenHost: '127.0.0.2', listenPort: 4445 })).toBeUndefined();
    expect(clashOf([l({ listenPort: 0 })], { listenHost: '127.0.0.1', listenPort: 0 })).toBeUndefined();
    expect(listenerId([l({ id: 'nas-445' })], 'nas', 445)).toBe('nas-445-2');
    expect(retryDelayMs(0)).toBe(50);
    expect(retryDelayMs(10)).toBe(250);
    const v = (over: Partial<WakeProxyView>): WakeProxyView => ({ ...l({}), serverName: 'nas', listening: true, active: 0, waiting: 0, total: 0, ...over });
    expect(countsOf([v({ active: 2 }), v({ id: 'b', waiting: 1 })])).toEqual({ servers: { nas: { listeners: 2, active: 2, waiting: 1 } } });
  });

  it('the CLI reads --listen as PORT or ADDRESS:PORT', () => {
    expect(parseListen('4445')).toEqual({ listenHost: '127.0.0.1', listenPort: 4445 });
    expect(parseListen('0.0.0.0:4445')).toEqual({ listenHost: '0.0.0.0', listenPort: 4445 });
    expect(parseListen('[::]:4445')).toEqual({ listenHost: '::', listenPort: 4445 });
    expect(() => parseListen('nas:4445')).toThrow(/PORT or ADDRESS:PORT/);
    expect(() => parseListen('99999')).toThrow(/0–65535/);
  });
});
