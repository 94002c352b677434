// The zod-free defaults, not the contract: the bridge is on the first paint's path (issue 16).
import { FACE_EVENTS } from '../../shared/contract/defaults';
import type { ConnectionStatus } from '../../shared/events';
import { CANCELLED, type Transport, type WireResult } from '../../shared/ipc';
import { TopicListeners } from '../../shared/ipc-transport';

type Frame = { id: number; result: WireResult } | { id: null; result: WireResult } | { event: string; payload: unknown };

const TOKEN_KEY = 'rackdeck.token';

/** The answer to every call in flight when the socket closes: main will never answer them now. */
const LOST: WireResult = { ok: false, error: { code: 'failed', message: 'The connection to Rackdeck was lost before it answered; try again.' } };

/**
 * Reads the access token from the URL fragment the web face printed (`#token=…`), keeps it for
 * this tab only, and removes it from the address bar so it is not bookmarked or shared.
 */
export function takeToken(
  loc: { hash: string; pathname: string; search: string },
  storage: { getItem(key: string): string | null; setItem(key: string, value: string): void },
  history: { replaceState(data: unknown, unused: string, url?: string): void },
): string | null {
  const match = /(?:^#|&)token=([^&]+)/.exec(loc.hash);
  if (match?.[1]) {
    const token = decodeURIComponent(match[1]);
    storage.setItem(TOKEN_KEY, token);
    history.replaceState(null, '', loc.pathname + loc.search);
    return token;
  }
  return storage.getItem(TOKEN_KEY);
}

/** Never a cached answer. Built apart from the call since Node's fetch types (the tests') have no `cache`. */
const HEAD_NO_STORE = { method: 'HEAD', cache: 'no-store' } as const;

/** Whether the web face answers HTTP at all (its index page), to tell "down" from "token refused". */
async function reachable(wsUrl: string): Promise<boolean> {
  try {
    const http = new URL('/', wsUrl.replace(/^ws/, 'http'));
    const res = await fetch(http, HEAD_NO_STORE);
    return res.status < 500;
  } catch {
    return false;
  }
}

/**
 * The part of a WebSocket the bridge uses: the browser's, or the `ws` package's in tests (so
 * this file needs no DOM types).
 */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

export interface SocketClass {
  new (url: string): SocketLike;
  readonly OPEN: number;
}

/** The transport of the web face, and its socket's end for good (tests, a page that leaves). */
export interface WebTransport extends Transport {
  close(): void;
  /** Connects again with another token (the access form): the socket held, if any, is dropped. */
  setToken(token: string): void;
}

/**
 * The token the admin typed or pasted into the access form: the token itself, or the whole
 * address `rackdeck serve` printed (its `#token=…` part is taken). Keeps it for this tab.
 */
export function rememberToken(typed: string, storage: { setItem(key: string, value: string): void }): string | null {
  const text = typed.trim();
  const fromUrl = /#(?:.*&)?token=([^&\s]+)/.exec(text)?.[1];
  let token = text;
  if (fromUrl) {
    try {
      token = decodeURIComponent(fromUrl);
    } catch {
      token = fromUrl;
    }
  }
  if (!token || /\s/.test(token)) return null;
  storage.setItem(TOKEN_KEY, token);
  return token;
}

/**
 * The browser side of the web face: the contract over one WebSocket, with requests matched to
 * answers by id, events fanned out to listeners, and reconnection with backoff. A tab tells
 * main which events it listens to (and again after a reconnection, which is a new connection
 * to main). While the socket is down, requests fail at once with a clear message instead of
 * hanging, and those in flight when it drops fail too: their answers are lost.
 */
export function createWebTransport(url: string, initialToken: string | null, Socket: SocketClass): WebTransport {
  let token = initialToken;
  const pending = new Map<number, (result: WireResult) => void>();
  let socket: SocketLike | undefined;
  let nextId = 1;
  let attempt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let closedForGood = false;

  const sendFrame = (frame: object): boolean => {
    const ws = socket;
    if (!ws || ws.readyState !== Socket.OPEN) return false;
    ws.send(JSON.stringify(frame));
    return true;
  };
  // While the socket is down a (un)subscribe needs no frame: a new socket subscribes afresh.
  const listeners = new TopicListeners({ subscribe: (topic) => void sendFrame({ subscribe: topic }), unsubscribe: (topic) => void sendFrame({ unsubscribe: topic }) }, FACE_EVENTS);
  let lastStatus: ConnectionStatus | undefined;
  const status = (s: ConnectionStatus) => {
    lastStatus = s;
    listeners.emit('connection', s);
  };

  const connect = () => {
    if (closedForGood) return;
    if (!token) {
      status({ state: 'unauthorized', reason: 'This page has no access token. Open the full address that rackdeck serve printed (it ends in #token=…), or enter the token below.' });
      return;
    }
    status({ state: 'connecting' });
    const ws = new Socket(`${url}?token=${encodeURIComponent(token)}`);
    socket = ws;
    let opened = false;
    ws.addEventListener('open', () => {
      if (socket !== ws) return;
      opened = true;
      attempt = 0;
      for (const topic of listeners.topics()) sendFrame({ subscribe: topic });
      status({ state: 'open' });
    });
    ws.addEventListener('message', (message) => {
      if (socket !== ws) return;
      let frame: Frame;
      try {
        frame = JSON.parse(String(message.data)) as Frame;
      } catch {
        return;
      }
      if ('event' in frame) listeners.emit(frame.event, frame.payload);
      else if (frame.id !== null) {
        pending.get(frame.id)?.(frame.result);
        pending.delete(frame.id);
      }
    });
    // The close that always follows an error says all there is to say.
    ws.addEventListener('error', () => undefined);
    ws.addEventListener('close', () => {
      // A socket dropped for a new token: the new one carries on.
      if (socket !== ws) return;
      socket = undefined;
      for (const resolve of pending.values()) resolve(LOST);
      pending.clear();
      if (closedForGood) return;
      const retry = () => {
        const delay = Math.min(10_000, 500 * 2 ** attempt++);
        status({ state: 'closed', reason: opened ? 'The connection to Rackdeck was lost.' : 'Rackdeck is not reachable.', retryAt: Date.now() + delay });
        retryTimer = setTimeout(connect, delay);
      };
      if (opened) return retry();
      // A browser cannot read why an upgrade was refused (it is always code 1006). If the page's
      // own server still answers plain HTTP, the engine is up and it refused this token: say so
      // and stop, since the same token will be refused again. Otherwise it is down: retry.
      void reachable(url).then((up) => {
        if (closedForGood) return;
        if (up) status({ state: 'unauthorized', reason: 'Rackdeck refused the access token this page holds. Open the full address that rackdeck serve printed, or enter the token below.' });
        else retry();
      });
    });
  };
  connect();

  return {
    invoke(channel, input, invokeOptions) {
      const signal = invokeOptions?.signal;
      if (signal?.aborted) return Promise.resolve(CANCELLED);
      const id = nextId++;
      if (!sendFrame({ id, channel, input })) return Promise.resolve({ ok: false, error: { code: 'failed', message: 'Not connected to Rackdeck.' } });
      return new Promise<WireResult>((resolve) => {
        const onAbort = () => {
          pending.delete(id);
          sendFrame({ cancel: id });
          resolve(CANCELLED);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        pending.set(id, (result) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(result);
        });
      });
    },
    on: (event, listener) => {
      const off = listeners.on(event, listener);
      // Refused for good (no token, or a wrong one) is said once, often before the page listens:
      // a listener that comes later hears it too, or the page would wait for a link forever.
      const refused = lastStatus;
      if (event === 'connection' && refused?.state === 'unauthorized') queueMicrotask(() => listener(refused));
      return off;
    },
    setToken(next) {
      token = next;
      attempt = 0;
      if (retryTimer !== undefined) clearTimeout(retryTimer);
      const old = socket;
      socket = undefined;
      for (const resolve of pending.values()) resolve(LOST);
      pending.clear();
      old?.close();
      connect();
    },
    close() {
      closedForGood = true;
      if (retryTimer !== undefined) clearTimeout(retryTimer);
      socket?.close();
    },
  };
}
