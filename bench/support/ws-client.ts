/**
 * A WebSocket client of the web face, as the browser bridge talks to it: requests as
 * `{id, channel, input}`, events as `{event, payload}` once subscribed (`{subscribe}`). Enough
 * for benchmarks to send a command and time the patch that shows its effect.
 */
import WebSocket from 'ws';
import type { ServersPatch } from '../../src/shared/events';
import type { ServerView } from '../../src/shared/server';

export interface FaceClient {
  call(channel: string, input: unknown): Promise<unknown>;
  /** Resolves with the arrival time (performance.now()) of the first patch where `match` holds for some server. */
  patchWhere(match: (s: ServerView) => boolean, timeoutMs: number): Promise<number>;
  close(): void;
}

export async function connectFace(url: string, token: string): Promise<FaceClient> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}api/ws?token=${encodeURIComponent(token)}`);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  // Main sends a socket only the events it subscribed to.
  ws.send(JSON.stringify({ subscribe: 'servers.patch' }));
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const watchers = new Set<(patch: ServersPatch, at: number) => void>();
  ws.on('message', (data) => {
    const at = performance.now();
    const frame = JSON.parse(data.toString()) as { id?: number; result?: { ok: boolean; value?: unknown; error?: { message: string } }; event?: string; payload?: unknown };
    if (frame.event === 'servers.patch') for (const w of [...watchers]) w(frame.payload as ServersPatch, at);
    if (typeof frame.id === 'number' && frame.result) {
      const p = pending.get(frame.id);
      pending.delete(frame.id);
      if (frame.result.ok) p?.resolve(frame.result.value);
      else p?.reject(new Error(frame.result.error?.message ?? 'request failed'));
    }
  });
  return {
    call(channel, input) {
      const id = nextId++;
      ws.send(JSON.stringify({ id, channel, input }));
      return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
    },
    patchWhere(match, timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          watchers.delete(w);
          reject(new Error(`no matching patch within ${timeoutMs} ms`));
        }, timeoutMs);
        const w = (patch: ServersPatch, at: number) => {
          if (!patch.upsert.some(match)) return;
          clearTimeout(timer);
          watchers.delete(w);
          resolve(at);
        };
        watchers.add(w);
      });
    },
    close: () => ws.close(),
  };
}
