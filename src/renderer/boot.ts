import { getClient } from './client';
import { startSync } from './sync';
import { readPermissionSoon } from './hooks/useNotificationPermission';

/*
 * The link to the engine, started as the page's first module runs: main.tsx imports this before
 * React, and ES modules run in import order, so the WebSocket's handshake (and the engine's
 * loading of its socket server) goes on while react-dom and the app are evaluated, instead of
 * after them (issue 16). The snapshot is asked for once the socket is open, as before.
 */
export const client = getClient();
startSync(client);
// Synchronous browser reads the first render needs, done while the page waits on the network.
readPermissionSoon();
