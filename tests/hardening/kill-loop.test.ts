/**
 * Leftovers of a crash (issue 14): a process writing config.json, secrets.json and the history
 * is killed with SIGKILL over and over, at whatever it was doing. After each kill every file
 * parses and holds every write the process had finished; after the next start no staged write
 * (temp file) is left anywhere in the home.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/main/base/logger';
import { createApp } from '../../src/main/root/app';
import { openConfigStore } from '../../src/main/store/config-store';
import { HistoryStore } from '../../src/main/store/history/store';
import { keyFileEncryptor, SecretsStore } from '../../src/main/store/secrets';

/**
 * `npm run fuzz` kills 120 times (about a minute and a half on a busy machine); within `npm test`
 * a dozen kills keep the path covered. RACKDECK_KILLS sets any other count.
 */
const KILLS = Number(process.env.RACKDECK_KILLS ?? (process.env.npm_lifecycle_event === 'fuzz' ? 120 : 12));
const here = path.dirname(fileURLToPath(import.meta.url));
let work: string;
let bundle: string;

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-kill-'));
  bundle = path.join(work, 'kill-child.mjs');
  // Bundled once, so each of the hundred starts costs a node start, not a TypeScript compile.
  await build({ entryPoints: [path.join(here, 'kill-child.ts')], outfile: bundle, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'warning', absWorkingDir: path.resolve(here, '../..') });
  fs.symlinkSync(path.resolve(here, '../../node_modules'), path.join(work, 'node_modules'));
});
const running = new Set<ReturnType<typeof spawn>>();
afterAll(() => {
  for (const child of running) child.kill('SIGKILL');
  fs.rmSync(work, { recursive: true, force: true });
});

/** Starts the writer, lets it finish `writes` acknowledged writes (and start the next), and kills it. */
function runAndKill(home: string, from: number, writes: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, home, String(from)], { stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    const lines: string[] = [];
    let buffered = '';
    let err = '';
    let killed = false;
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      buffered += d;
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      lines.push(...parts);
      if (!killed && lines.filter((l) => !l.startsWith('started')).length >= writes) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.once('exit', (code, signal) => {
      running.delete(child);
      if (signal !== 'SIGKILL') reject(new Error(`the writer exited on its own (code ${code}): ${err}`));
      else resolve(lines);
    });
  });
}

const STAGED = /\.tmp(-\d+[0-9a-f]*)?$/;
function stagedWrites(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => STAGED.test(f));
}

/** The JSON documents of the home (config, secrets, history shards and actions), not the journal. */
function jsonFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json'));
}

describe(`kill -9 loop: ${KILLS} kills while writing config, secrets and history`, () => {
  // A node start per kill (about half a second on a busy machine): longer than the default timeout.
  it(`every file parses after every kill, nothing acknowledged is lost, no temp file after the next start`, { timeout: 600_000 }, async () => {
    const home = path.join(work, 'home');
    fs.mkdirSync(home, { mode: 0o700 });
    // What the writer said it finished, write by write (a kill between them leaves gaps).
    const acked = { config: new Set<number>(), secret: new Set<number>(), history: new Set<number>() };
    let last = 0;
    let leftBehind = 0;
    let removedAtStart = 0;
    let parsed = 0;
    for (let kill = 0; kill < KILLS; kill++) {
      // Kill after 1 to 6 acknowledged writes: somewhere in config, secrets or history, each time.
      const lines = await runAndKill(home, last, 1 + (kill % 6));
      removedAtStart += Number(/removed=(\d+)/.exec(lines[0] ?? '')?.[1] ?? 0);
      for (const line of lines) {
        const [what, n] = line.split(' ') as [keyof typeof acked, string];
        if (!(what in acked)) continue;
        acked[what].add(Number(n));
        last = Math.max(last, Number(n));
      }
      leftBehind += stagedWrites(home).length;
      // Every file parses, whatever the kill interrupted.
      for (const file of jsonFiles(home)) {
        parsed += 1;
        expect(() => JSON.parse(fs.readFileSync(path.join(home, file), 'utf8')), file).not.toThrow();
      }
      const config = JSON.parse(fs.readFileSync(path.join(home, 'config.json'), 'utf8')) as { servers: { id: string }[] };
      expect(config.servers.length).toBeGreaterThanOrEqual(acked.config.size);
    }
    console.log(`kill loop: ${KILLS} kills; ${acked.config.size} servers, ${acked.secret.size} secrets, ${acked.history.size} history writes acknowledged; ${parsed} file reads parsed; ${leftBehind} staged writes seen between kills, ${removedAtStart} removed by the next start`);

    // The next start: the app's own.
    const app = createApp({ home, face: 'cli', log: silentLogger });
    expect(stagedWrites(home)).toEqual([]);
    await app.stop();

    // Nothing acknowledged is lost: every server, every secret, every logged action.
    const ids = new Set(openConfigStore(home).read().servers.map((s) => s.id));
    for (const n of acked.config) expect(ids.has(`s-${n}`), `s-${n}`).toBe(true);
    const secrets = new SecretsStore(home, keyFileEncryptor(home));
    for (const n of acked.secret) expect(secrets.get(`s-${n}`, 'ssh.password'), `secret of s-${n}`).toBe(`pw-${n}`);
    const history = await HistoryStore.open({ dir: path.join(home, 'history') });
    const logged = new Set(history.actions({}).map((a) => a.serverId));
    await history.close();
    for (const n of acked.history) expect(logged.has(`s-${n}`), `action of s-${n}`).toBe(true);
    expect(acked.history.size).toBeGreaterThan(0);
  });
});
