import { createClient, type RackdeckClient } from '../shared/contract';
import { createWebTransport, takeToken } from './bridge/web-bridge';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a browser, where the web bridge stands in. */
    rackdeck?: RackdeckClient;
  }
}

let client: RackdeckClient | undefined;

/** The one client the renderer talks through; it cannot tell the desktop from the web face. */
export function getClient(): RackdeckClient {
  if (client) return client;
  if (window.rackdeck) {
    client = window.rackdeck;
  } else {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const transport = createWebTransport(`${scheme}//${location.host}/api/ws`, takeToken(location, sessionStorage, history));
    client = createClient(transport);
  }
  return client;
}
