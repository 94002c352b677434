import { describe, expect, it } from 'vitest';
import type { CallContext, Router } from '../../src/main/ipc/router';
import { powerActionVia } from '../../src/main/faces/electron/power-action';
import type { Notice } from '../../src/shared/events';
import type { WireResult } from '../../src/shared/ipc';

function router(channels: string[], answer: WireResult = { ok: true, value: {} }) {
  const calls: [string, unknown, CallContext][] = [];
  const r: Router = {
    channels: () => channels,
    handle: async (channel, input, ctx) => {
      calls.push([channel, input, ctx]);
      return answer;
    },
  };
  return { r, calls };
}

describe('tray power actions', () => {
  const nameOf = (id: string) => (id === 'nas' ? 'NAS' : undefined);

  it('says power control is not available while there is no power.run channel', async () => {
    const { r, calls } = router(['servers.add']);
    const notices: Omit<Notice, 'id' | 'at'>[] = [];
    await powerActionVia(r, (n) => notices.push(n), nameOf)('nas', 'wake');
    expect(calls).toEqual([]);
    expect(notices).toEqual([{ level: 'info', title: 'Power control is not available yet', body: 'Rackdeck cannot wake NAS from here yet.', serverId: 'nas' }]);
  });

  it('calls power.run as the desktop face when it exists', async () => {
    const { r, calls } = router(['power.run']);
    const notices: unknown[] = [];
    await powerActionVia(r, (n) => notices.push(n), nameOf)('nas', 'suspend');
    expect(calls).toEqual([['power.run', { id: 'nas', action: 'suspend' }, { face: 'desktop' }]]);
    expect(notices).toEqual([]);
  });

  it('reports a refused command as an error notice', async () => {
    const { r } = router(['power.run'], { ok: false, error: { code: 'conflict', message: 'NAS has no MAC address' } });
    const notices: Omit<Notice, 'id' | 'at'>[] = [];
    await powerActionVia(r, (n) => notices.push(n), nameOf)('nas', 'wake');
    expect(notices).toEqual([{ level: 'error', title: 'Could not wake NAS', body: 'NAS has no MAC address', serverId: 'nas' }]);
  });
});
