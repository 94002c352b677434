import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { BIN, BUILT_CLI, BUILT_RENDERER, ROOT } from './paths';
import type { Cleanup } from './cleanup';

export interface Served {
  /** The printed address, token fragment included. */
  openUrl: string;
  /** The same page without the token. */
  origin: string;
  token: string;
  pid: number;
  output(): string;
  /** Stops the engine now (SIGTERM to its process group, SIGKILL after 5 s); cleanup does it anyway. */
  stop(): Promise<void>;
}

const LINE = /Rackdeck web face: (\S+)/;

export function assertBuilt(): void {
  for (const file of [BUILT_CLI, BUILT_RENDERER]) {
    if (!fs.existsSync(file)) {
      throw new Error(`${file} is missing: the end-to-end tests drive the built app. Run \`node scripts/build.mjs\` first (\`npm test\` does).`);
    }
  }
}

/**
 * Runs `rackdeck serve --port 0 --home <home>` in its own process group and waits for the line
 * with the URL. The group is killed on cleanup, so nothing it started outlives the test.
 * `bin` is another build's `bin/rackdeck.mjs`, for benches that compare two builds in one run.
 */
export async function startServe(cleanup: Cleanup, home: string, timeoutMs = 20_000, bin = BIN): Promise<Served> {
  if (bin === BIN) assertBuilt();
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--home', home], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, RACKDECK_HOME: home },
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not start rackdeck serve');
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const killGroup = (sig: NodeJS.Signals) => {
      try {
        process.kill(-pid, sig);
      } catch {
        // already gone
      }
    };
    killGroup('SIGTERM');
    const done = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 5000))]);
    if (!done) {
      killGroup('SIGKILL');
      await exited;
    }
  };
  cleanup.add(`stop rackdeck serve (pid ${pid})`, stop);

  const openUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`rackdeck serve printed no URL within ${timeoutMs} ms. Output:\n${out}`)), timeoutMs);
    const check = () => {
      const m = LINE.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        child.stdout.off('data', check);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`rackdeck serve exited (code ${code}) before printing its URL. Output:\n${out}`));
    });
  });
  const url = new URL(openUrl);
  const token = /token=([^&]+)/.exec(url.hash)?.[1] ?? '';
  url.hash = '';
  return { openUrl, origin: url.toString(), token, pid, output: () => out, stop };
}
