import type { RackdeckClient } from '../shared/contract';
import { namedClient } from '../shared/named-client';
import { transportOverNumbered, type NumberedTransport } from '../shared/ipc-transport';
import { createWebTransport, rememberToken, takeToken, type WebTransport } from './bridge/web-bridge';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a browser, where the web bridge stands in. */
    rackdeck?: RackdeckClient;
    /** Set by the Electron preload too: the transport under that client, for a client of the page's own. */
    rackdeckBridge?: NumberedTransport;
  }
}

let client: RackdeckClient | undefined;
let webTransport: WebTransport | undefined;

/** The one client the renderer talks through; it cannot tell the desktop from the web face. */
export function getClient(): RackdeckClient {
  if (client) return client;
  if (window.rackdeckBridge) {
    // Built here rather than taken from the preload, so AbortSignals (which contextBridge
    // cannot carry) and RackdeckError classes stay in this world. From channel names alone: main
    // parses every input, and the page's first paint loads no schemas (issue 16).
    client = namedClient(transportOverNumbered(window.rackdeckBridge));
  } else {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    webTransport = createWebTransport(`${scheme}//${location.host}/api/ws`, takeToken(location, sessionStorage, history), WebSocket);
    client = namedClient(webTransport);
  }
  return client;
}

/** Whether this page talks to the web face (a browser), not to the desktop app's main process. */
export function isWebFace(): boolean {
  getClient();
  return webTransport !== undefined;
}

/**
 * The access form's token (or the whole printed address): kept for this tab and used to connect
 * again. False when nothing usable was typed.
 */
export function signIn(typed: string): boolean {
  getClient();
  const token = rememberToken(typed, sessionStorage);
  if (!token || !webTransport) return false;
  webTransport.setToken(token);
  return true;
}
