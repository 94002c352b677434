import type { ConnectionStatus } from '../../shared/events';
import type { Transport, WireResult } from '../../shared/ipc';

type Frame = { id: number; result: WireResult } | { id: null; result: WireResult } | { event: string; payload: unknown };

const TOKEN_KEY = 'rackdeck.token';

/**
 * Reads the access token from the URL fragment the web face printed (`#token=…`), keeps it for
 * this tab only, and removes it from the address bar so it is not bookmarked or shared.
 */
export function takeToken(loc: Location, storage: Storage, history: History): string | null {
  const match = /(?:^#|&)token=([^&]+)/.exec(loc.hash);
  if (match?.[1]) {
    const token = decodeURIComponent(match[1]);
    storage.setItem(TOKEN_KEY, token);
    history.replaceState(null, '', loc.pathname + loc.search);
    return token;
  }
  return storage.getItem(TOKEN_KEY);
}

/** Whether the web face answers HTTP at all (its index page), to tell "down" from "token refused". */
async function reachable(wsUrl: string): Promise<boolean> {
  try {
    const http = new URL('/', wsUrl.replace(/^ws/, 'http'));
    const res = await fetch(http, { method: 'HEAD', cache: 'no-store' });
    return res.status < 500;
  } catch {
    return false;
  }
}

/**
 * The browser side of the web face: the contract over one WebSocket, with requests matched to
 * answers by id, events fanned out to listeners, and reconnection with backoff. While the
 * socket is down, requests fail at once with a clear message instead of hanging.
 */
export function createWebTransport(url: string, token: string | null): Transport {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const pending = new Map<number, (result: WireResult) => void>();
  let socket: WebSocket | undefined;
  let nextId = 1;
  let attempt = 0;

  const emit = (event: string, payload: unknown) => listeners.get(event)?.forEach((fn) => fn(payload));
  const status = (s: ConnectionStatus) => emit('connection', s);

  const connect = () => {
    if (!token) {
      status({ state: 'unauthorized', reason: 'This page has no access token. Open the full address that rackdeck serve printed (it ends in #token=…).' });
      return;
    }
    status({ state: 'connecting' });
    const ws = new WebSocket(`${url}?token=${encodeURIComponent(token)}`);
    socket = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      attempt = 0;
      status({ state: 'open' });
    };
    ws.onmessage = (message) => {
      let frame: Frame;
      try {
        frame = JSON.parse(String(message.data)) as Frame;
      } catch {
        return;
      }
      if ('event' in frame) emit(frame.event, frame.payload);
      else if (frame.id !== null) {
        pending.get(frame.id)?.(frame.result);
        pending.delete(frame.id);
      }
    };
    ws.onclose = () => {
      socket = undefined;
      for (const resolve of pending.values()) resolve({ ok: false, error: { code: 'failed', message: 'The connection to Rackdeck was lost.' } });
      pending.clear();
      const retry = () => {
        const delay = Math.min(10_000, 500 * 2 ** attempt++);
        status({ state: 'closed', reason: opened ? 'The connection to Rackdeck was lost.' : 'Rackdeck is not reachable.', retryAt: Date.now() + delay });
        setTimeout(connect, delay);
      };
      if (opened) return retry();
      // A browser cannot read why an upgrade was refused (it is always code 1006). If the page's
      // own server still answers plain HTTP, the engine is up and it refused this token: say so
      // and stop, since the same token will be refused again. Otherwise it is down: retry.
      void reachable(url).then((up) => {
        if (up) status({ state: 'unauthorized', reason: 'Rackdeck refused the access token this page holds. Open the full address that rackdeck serve printed.' });
        else retry();
      });
    };
  };
  connect();

  return {
    invoke(channel, input) {
      const ws = socket;
      if (!ws || ws.readyState !== WebSocket.OPEN) {
        return Promise.resolve({ ok: false, error: { code: 'failed', message: 'Not connected to Rackdeck.' } });
      }
      const id = nextId++;
      return new Promise<WireResult>((resolve) => {
        pending.set(id, resolve);
        ws.send(JSON.stringify({ id, channel, input }));
      });
    },
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
  };
}
