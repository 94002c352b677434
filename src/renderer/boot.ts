import { getClient } from './client';
import { startSync } from './sync';
import { readPermissionSoon } from './hooks/useNotificationPermission';

/*
 * The page's entry: a small chunk (the link, the stores, React's core) that opens the WebSocket
 * and asks for the snapshot while react-dom and the app (main.tsx, ~280 kB) are still being
 * received and compiled. With one bundle the socket waited for the whole script to be compiled
 * and its first modules run (~150 ms after it arrived, Chrome traces, issue 16), and React first
 * rendered skeleton cards, then the cards once the snapshot came; now the snapshot is usually in
 * the store before React's first render, which draws the cards at once. The HTML names main's
 * chunk too (vite.config.ts), so the browser fetches and compiles it alongside this one.
 */
const client = getClient();
startSync(client);
// Synchronous browser reads the first render needs, done while the page waits on the network.
readPermissionSoon();
void import('./main');
