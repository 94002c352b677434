import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { contract } from '../../src/shared/contract';
import { channelsOf, request } from '../../src/shared/ipc';
import { createRouter } from '../../src/main/ipc/router';
import { HandlerError } from '../../src/main/base/errors';
import { memoryLogger } from '../../src/main/base/logger';
import { openTestApp } from './test-app';

describe('router', () => {
  it('rejects every channel of the contract when given a malformed request, and changes nothing', async () => {
    const { app, cleanup } = openTestApp();
    try {
      await app.router.handle('servers.add', { name: 'keep', address: '127.0.0.1' }, { face: 'test' });
      const before = JSON.stringify(app.engine.snapshot().servers);
      const channels = channelsOf(contract);
      expect(channels.length).toBeGreaterThan(3);
      for (const channel of channels) {
        for (const bad of [42, 'text', null, [], { unexpected: true }]) {
          const result = await app.router.handle(channel, bad, { face: 'test' });
          expect(result.ok, `${channel} accepted ${JSON.stringify(bad)}`).toBe(false);
          if (!result.ok) {
            expect(result.error.code).toBe('bad_request');
            expect(result.error.message).toMatch(/^Invalid request: /);
          }
        }
      }
      expect(JSON.stringify(app.engine.snapshot().servers)).toBe(before);
    } finally {
      cleanup();
    }
  });

  it('names the bad fields of a request', async () => {
    const { app, cleanup } = openTestApp();
    try {
      const result = await app.router.handle('servers.add', { name: '', address: 'a b', ports: [70000] }, { face: 'test' });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(Object.keys(result.error.fields ?? {}).sort()).toEqual(['address', 'name', 'ports.0']);
      expect(result.error.fields?.['ports.0']).toMatch(/1 to 65535/);
    } finally {
      cleanup();
    }
  });

  it('answers an unknown channel clearly', async () => {
    const { app, cleanup } = openTestApp();
    try {
      const result = await app.router.handle('servers.explode', {}, { face: 'test' });
      expect(result).toEqual({ ok: false, error: { code: 'unknown_channel', message: 'Unknown request "servers.explode"' } });
    } finally {
      cleanup();
    }
  });

  it('turns handler errors into wire errors and hides nothing else', async () => {
    const tree = { t: { fail: request<string>()(z.object({})), boom: request<string>()(z.object({})), ok: request<number>()(z.object({ n: z.number() })) } };
    const log = memoryLogger();
    const router = createRouter(
      tree,
      {
        t: {
          fail: async () => {
            throw new HandlerError('conflict', 'taken', { name: 'taken' });
          },
          boom: async () => {
            throw new Error('disk on fire');
          },
          ok: async ({ n }: { n: number }) => n * 2,
        },
      },
      log,
    );
    expect(await router.handle('t.fail', {}, { face: 'test' })).toEqual({ ok: false, error: { code: 'conflict', message: 'taken', fields: { name: 'taken' } } });
    expect(await router.handle('t.boom', {}, { face: 'test' })).toEqual({ ok: false, error: { code: 'failed', message: 'disk on fire' } });
    expect(log.lines.some((l) => l.includes('t.boom failed'))).toBe(true);
    expect(await router.handle('t.ok', { n: 21 }, { face: 'test' })).toEqual({ ok: true, value: 42 });
  });

  it('refuses to start when a channel has no handler', () => {
    const tree = { t: { a: request<string>()(z.object({})) } };
    expect(() => createRouter(tree, { t: {} } as never, memoryLogger())).toThrow('no handler for t.a');
  });
});
