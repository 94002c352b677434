import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { contract } from '../../src/shared/contract';
import { channelsOf, request } from '../../src/shared/ipc';
import { createRouter, type CallContext } from '../../src/main/ipc/router';
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
        // Keys named like Object.prototype's properties, as JSON.parse makes them (own keys), too.
        const prototypeKeys = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'].map((k) => JSON.parse(`{"${k}": {"polluted": true}}`) as unknown);
        for (const bad of [42, 'text', null, [], { unexpected: true }, ...prototypeKeys]) {
          const result = await app.router.handle(channel, bad, { face: 'test' });
          expect(result.ok, `${channel} accepted ${JSON.stringify(bad)}`).toBe(false);
          if (!result.ok) {
            expect(result.error.code).toBe('bad_request');
            expect(result.error.message).toMatch(/^Invalid request: /);
          }
        }
      }
      expect(JSON.stringify(app.engine.snapshot().servers)).toBe(before);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
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

  it('gives every handler a signal, and answers cancelled at once when the caller aborts', async () => {
    const tree = { t: { wait: request<string>()(z.object({}).strict()), ok: request<boolean>()(z.object({}).strict()) } };
    const seen: AbortSignal[] = [];
    let finish: (value: string) => void = () => undefined;
    const router = createRouter(
      tree,
      {
        t: {
          // Ignores its signal on purpose: the answer must not wait for it.
          wait: (_input: unknown, ctx: CallContext) => {
            if (ctx.signal) seen.push(ctx.signal);
            return new Promise<string>((resolve) => (finish = resolve));
          },
          ok: async (_input: unknown, ctx: CallContext) => ctx.signal instanceof AbortSignal && !ctx.signal.aborted,
        },
      },
      memoryLogger(),
    );
    expect(await router.handle('t.ok', {}, { face: 'test' })).toEqual({ ok: true, value: true });
    const stop = new AbortController();
    const answer = router.handle('t.wait', {}, { face: 'test', signal: stop.signal });
    expect(seen).toHaveLength(1);
    stop.abort();
    expect(await answer).toEqual({ ok: false, error: { code: 'cancelled', message: 't.wait was cancelled.' } });
    expect(seen[0]?.aborted).toBe(true);
    finish('too late');
  });

  it('never runs a handler for a call already cancelled', async () => {
    let ran = false;
    const tree = { t: { a: request<string>()(z.object({}).strict()) } };
    const router = createRouter(tree, { t: { a: async () => ((ran = true), 'a') } }, memoryLogger());
    const stop = new AbortController();
    stop.abort();
    expect(await router.handle('t.a', {}, { face: 'test', signal: stop.signal })).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(ran).toBe(false);
  });

  it('refuses to start when a channel has no handler', () => {
    const tree = { t: { a: request<string>()(z.object({})) } };
    expect(() => createRouter(tree, { t: {} } as never, memoryLogger())).toThrow('no handler for t.a');
  });
});
