/**
 * The transport-neutral parts of the contract's transport: listeners counted per topic, a
 * client's deadlines and cancellation, the numbered form that crosses contextBridge, and main's
 * side of a connection (subscriptions, addressed events, calls in flight).
 */
import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { CANCELLED, makeClient, RackdeckError, request, type Transport, type WireResult } from '../../src/shared/ipc';
import { TopicListeners, transportOverNumbered, type NumberedTransport } from '../../src/shared/ipc-transport';
import type { Events } from '../../src/shared/contract';
import { EventBus } from '../../src/main/base/event-bus';
import { openConnection } from '../../src/main/ipc/connection';
import { createRouter, type CallContext } from '../../src/main/ipc/router';
import { memoryLogger } from '../../src/main/base/logger';

const tree = { t: { wait: request<string>()(z.object({}).strict()), echo: request<number>()(z.object({ n: z.number() }).strict()) } };

/** A transport whose answers the test gives by hand; it records what happens to each call. */
function manualTransport() {
  const calls: { channel: string; signal: AbortSignal | undefined; answer: (r: WireResult) => void }[] = [];
  const transport: Transport = {
    invoke: (channel, _input, options) => new Promise<WireResult>((answer) => calls.push({ channel, signal: options?.signal, answer })),
    on: () => () => undefined,
  };
  return { transport, calls };
}

describe('topic listeners', () => {
  it('subscribes on the first listener of a topic and unsubscribes when the last goes', () => {
    const wire: string[] = [];
    const topics = new TopicListeners({ subscribe: (t) => wire.push(`+${t}`), unsubscribe: (t) => wire.push(`-${t}`) });
    const got: string[] = [];
    const listener = (p: unknown) => got.push(String(p));
    const offA = topics.on('notice', listener);
    const offB = topics.on('notice', listener);
    const offC = topics.on('servers.patch', () => undefined);
    expect(wire).toEqual(['+notice', '+servers.patch']);
    topics.emit('notice', 'x');
    expect(got).toEqual(['x', 'x']);
    offA();
    offA();
    expect(wire).toEqual(['+notice', '+servers.patch']);
    topics.emit('notice', 'y');
    expect(got).toEqual(['x', 'x', 'y']);
    offB();
    expect(wire).toEqual(['+notice', '+servers.patch', '-notice']);
    expect(topics.topics()).toEqual(['servers.patch']);
    topics.on('notice', listener);
    expect(wire.at(-1)).toBe('+notice');
    offC();
    expect(wire.at(-1)).toBe('-servers.patch');
  });

  it('never tells main about the topics the face raises itself', () => {
    const wire: string[] = [];
    const topics = new TopicListeners({ subscribe: (t) => wire.push(`+${t}`), unsubscribe: (t) => wire.push(`-${t}`) }, new Set(['connection']));
    const off = topics.on('connection', () => undefined);
    off();
    expect(wire).toEqual([]);
    expect(topics.topics()).toEqual([]);
  });
});

describe('client deadlines and cancellation', () => {
  it('rejects with timeout when no answer comes in time, and aborts the transport signal', async () => {
    const { transport, calls } = manualTransport();
    const client = makeClient<typeof tree, Events>(tree, transport, { timeoutMs: 0, timeouts: { 't.wait': 20 } });
    const error = await client.t.wait({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RackdeckError);
    expect(error).toMatchObject({ code: 'timeout', message: 'Rackdeck did not answer t.wait within 20 ms.' });
    expect(calls[0]?.signal?.aborted).toBe(true);
    // The answer that comes later is dropped.
    calls[0]?.answer({ ok: true, value: 'late' });
  });

  it('lets a caller set its own deadline, and 0 waits for ever', async () => {
    const { transport, calls } = manualTransport();
    const client = makeClient<typeof tree, Events>(tree, transport, { timeoutMs: 10 });
    await expect(client.t.wait({}, { timeoutMs: 5 })).rejects.toMatchObject({ code: 'timeout' });
    const forever = client.t.echo({ n: 2 }, { timeoutMs: 0 });
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    calls[1]?.answer({ ok: true, value: 4 });
    expect(await forever).toBe(4);
  });

  it('rejects with cancelled when its signal aborts, before or during the call', async () => {
    const { transport, calls } = manualTransport();
    const client = makeClient<typeof tree, Events>(tree, transport, { timeoutMs: 0 });
    const stop = new AbortController();
    const running = client.t.wait({}, { signal: stop.signal });
    expect(calls[0]?.signal?.aborted).toBe(false);
    stop.abort();
    await expect(running).rejects.toMatchObject({ name: 'RackdeckError', code: 'cancelled' });
    expect(calls[0]?.signal?.aborted).toBe(true);
    await expect(client.t.wait({}, { signal: stop.signal })).rejects.toMatchObject({ code: 'cancelled' });
    expect(calls).toHaveLength(1);
  });

  it('turns a failed answer into a RackdeckError with its fields', async () => {
    const { transport, calls } = manualTransport();
    const client = makeClient<typeof tree, Events>(tree, transport, { timeoutMs: 0 });
    const failing = client.t.echo({ n: 1 });
    calls[0]?.answer({ ok: false, error: { code: 'bad_request', message: 'no', fields: { n: 'bad' } } });
    await expect(failing).rejects.toMatchObject({ code: 'bad_request', message: 'no', fields: { n: 'bad' } });
  });
});

describe('numbered transport (the contextBridge form)', () => {
  it('numbers calls from the bridge and cancels them by number', async () => {
    let last = 0;
    const cancelled: number[] = [];
    const answers = new Map<number, (r: WireResult) => void>();
    const bridge: NumberedTransport = {
      newCallId: () => ++last,
      invoke: (_channel, _input, id) => new Promise((resolve) => answers.set(id, resolve)),
      cancel: (id) => cancelled.push(id),
      on: () => () => undefined,
    };
    // Two clients on one bridge (the preload's and the page's) never share a number.
    const one = transportOverNumbered(bridge);
    const two = transportOverNumbered(bridge);
    const stop = new AbortController();
    const a = one.invoke('t.wait', {}, { signal: stop.signal });
    const b = two.invoke('t.wait', {});
    expect([...answers.keys()]).toEqual([1, 2]);
    stop.abort();
    expect(await a).toEqual(CANCELLED);
    expect(cancelled).toEqual([1]);
    answers.get(2)?.({ ok: true, value: 'two' });
    expect(await b).toEqual({ ok: true, value: 'two' });
  });
});

describe("main's side of a connection", () => {
  function setup() {
    const bus = new EventBus();
    const signals: AbortSignal[] = [];
    const router = createRouter(
      tree,
      {
        t: {
          wait: (_input: unknown, ctx: CallContext) =>
            new Promise<string>((resolve) => {
              if (ctx.signal) signals.push(ctx.signal);
              ctx.signal?.addEventListener('abort', () => resolve('stopped'));
            }),
          echo: async ({ n }: { n: number }, ctx: CallContext) => (ctx.connection === 'c1' ? n : -1),
        },
      },
      memoryLogger(),
    );
    const sent: { to: string; event: string; payload: unknown }[] = [];
    const open = (id: string) => openConnection({ id, face: 'test', router, events: bus, send: (event, payload) => sent.push({ to: id, event, payload }) });
    return { bus, signals, sent, c1: open('c1'), c2: open('c2') };
  }

  it('sends a connection only what it subscribed to, and an addressed event only to its addressee', () => {
    const { bus, sent, c1, c2 } = setup();
    expect(c1.subscribe('console.closed')).toBe(true);
    expect(c1.subscribe('console.closed')).toBe(true);
    expect(c2.subscribe('console.closed')).toBe(true);
    expect(c2.subscribe('not.an.event')).toBe(false);
    bus.emit('console.closed', { sessionId: 's1', reason: 'r', error: false }, { to: 'c1' });
    bus.emit('console.closed', { sessionId: 's2', reason: 'r', error: false });
    bus.emit('notice', { id: 'n', at: 0, level: 'info', title: 't', body: '' });
    expect(sent.map((s) => `${s.to}:${(s.payload as { sessionId: string }).sessionId}`)).toEqual(['c1:s1', 'c1:s2', 'c2:s2']);
    c1.unsubscribe('console.closed');
    bus.emit('console.closed', { sessionId: 's3', reason: 'r', error: false });
    expect(sent.map((s) => s.to).slice(3)).toEqual(['c2']);
    expect(c1.topics()).toEqual([]);
  });

  it('runs calls as its own connection, cancels one by number, and cancels all when it closes', async () => {
    const { signals, c1, c2 } = setup();
    expect(await c1.request('t.echo', { n: 3 })).toEqual({ ok: true, value: 3 });
    const first = c1.request('t.wait', {}, { callId: 1 });
    const second = c1.request('t.wait', {}, { callId: 2 });
    expect(await c1.request('t.wait', {}, { callId: 2 })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    // Another connection cannot reach this one's calls.
    c2.cancel(1);
    expect(signals.map((s) => s.aborted)).toEqual([false, false]);
    c1.cancel(1);
    expect(await first).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(signals.map((s) => s.aborted)).toEqual([true, false]);
    c1.close();
    expect(await second).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(signals[1]?.aborted).toBe(true);
    expect(await c1.request('t.echo', { n: 1 })).toMatchObject({ ok: false, error: { code: 'failed' } });
  });
});
