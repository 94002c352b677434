/**
 * Run by kill-loop.test.ts, bundled, as a child process that is killed with SIGKILL at any
 * moment: it starts as the app does (tidyHome first), then writes config.json, secrets.json and
 * the history over and over, printing a line only once each write returned: what it printed,
 * the next start must find.
 */
import path from 'node:path';
import { serverInputSchema } from '../../src/shared/server';
import { openConfigStore } from '../../src/main/store/config-store';
import { HistoryStore } from '../../src/main/store/history/store';
import { tidyHome } from '../../src/main/store/leftovers';
import { keyFileEncryptor, SecretsStore } from '../../src/main/store/secrets';

const home = process.argv[2] as string;
let n = Number(process.argv[3] ?? 0);
// Pipes are written synchronously on Linux: a printed line is out before the next write begins.
const ack = (what: string) => process.stdout.write(`${what} ${n}\n`);

async function main(): Promise<void> {
  const removed = tidyHome(home);
  process.stdout.write(`started removed=${removed.length}\n`);
  const config = openConfigStore(home);
  const secrets = new SecretsStore(home, keyFileEncryptor(home));
  const history = await HistoryStore.open({ dir: path.join(home, 'history'), flushIntervalMs: 3_600_000 });
  for (;;) {
    n += 1;
    const id = `s-${n}`;
    config.update((doc) => ({ ...doc, servers: [...doc.servers, { ...serverInputSchema.parse({ name: id, address: '127.0.0.1', ports: [22] }), id, createdAt: Date.now() }] }));
    ack('config');
    secrets.set(id, 'ssh.password', `pw-${n}`);
    ack('secret');
    history.logAction({ at: Date.now(), kind: 'power', action: 'wake', serverId: id, face: 'cli', result: 'ok' });
    history.record(id, { t: Date.now(), cpu: n % 100 });
    await history.compact();
    ack('history');
  }
}

void main();
