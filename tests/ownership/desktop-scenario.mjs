// The page of the desktop app, for desktop.test.ts: run inside the bundled desktop main on the
// fake Electron (tests/electron/fake-electron). It keeps the page's state as the renderer does
// (a snapshot, then the servers.patch events main sends it) and takes orders on stdin:
//   edit   edits server "first" through the page, as the card's form would
//   state  prints the page's servers
//   quit   quits the app the orderly way
// Each answer is one `RESULT <json>` line; `ready` once the control socket listens.
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { setImmediate } from 'node:timers';
import { pathToFileURL } from 'node:url';

const out = (step, value) => console.log(`RESULT ${JSON.stringify({ step, value })}`);

export async function run({ recorded, app, window }) {
  const contents = window.webContents;
  const frame = { url: pathToFileURL(window.loadedFile).href, parent: null };
  const fromPage = (channel, input) => recorded.handlers.get('rackdeck:request')({ sender: contents, senderFrame: frame }, channel, input);
  const control = (op, arg) => recorded.handlers.get('rackdeck:control')({ sender: contents, senderFrame: frame }, op, arg);

  await control('subscribe', 'servers.patch');
  const snapshot = await fromPage('servers.snapshot', {});
  const byId = new Map(snapshot.value.servers.map((s) => [s.id, s]));
  let seq = snapshot.value.seq;
  let applied = 0;
  const page = () => {
    for (; applied < contents.sent.length; applied++) {
      const [channel, name, patch] = contents.sent[applied];
      if (channel !== 'rackdeck:event' || name !== 'servers.patch' || patch.seq <= seq) continue;
      seq = patch.seq;
      for (const s of patch.upsert) byId.set(s.id, s);
      for (const id of patch.remove) byId.delete(id);
    }
    return [...byId.values()].map((s) => ({ id: s.id, name: s.name, notes: s.notes }));
  };

  const home = process.argv[process.argv.indexOf('--home') + 1];
  for (const end = Date.now() + 10_000; !fs.existsSync(path.join(home, 'rackdeck.sock')); ) {
    if (Date.now() > end) throw new Error('the control socket never appeared');
    await new Promise((r) => setTimeout(r, 10));
  }
  out('ready', { pid: process.pid, servers: page() });

  for await (const line of readline.createInterface({ input: process.stdin })) {
    if (line === 'edit') out('edited', await fromPage('servers.edit', { id: 'first', patch: { notes: 'edited in the desktop app' } }));
    else if (line === 'state') out('state', page());
    else if (line === 'quit') {
      recorded.onQuit = () => setImmediate(() => process.exit(0));
      app.quit();
      return;
    }
  }
}
