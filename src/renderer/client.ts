import { createClient, type RackdeckClient } from '../shared/contract';
import { transportOverNumbered, type NumberedTransport } from '../shared/ipc-transport';
import { createWebTransport, takeToken } from './bridge/web-bridge';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a browser, where the web bridge stands in. */
    rackdeck?: RackdeckClient;
    /** Set by the Electron preload too: the transport under that client, for a client of the page's own. */
    rackdeckBridge?: NumberedTransport;
  }
}

let client: RackdeckClient | undefined;

/** The one client the renderer talks through; it cannot tell the desktop from the web face. */
export function getClient(): RackdeckClient {
  if (client) return client;
  if (window.rackdeckBridge) {
    // Built here rather than taken from the preload, so AbortSignals (which contextBridge
    // cannot carry) and RackdeckError classes stay in this world.
    client = createClient(transportOverNumbered(window.rackdeckBridge));
  } else {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const transport = createWebTransport(`${scheme}//${location.host}/api/ws`, takeToken(location, sessionStorage, history), WebSocket);
    client = createClient(transport);
  }
  return client;
}
