/**
 * `rackdeck serve` as the admin runs it (the built CLI, its own process group), with any flags:
 * for tests whose question is whether that process is still alive.
 */
import { spawn } from 'node:child_process';
import { assertBuilt, type Cleanup } from '../e2e/harness';
import { BIN, ROOT } from '../e2e/harness/paths';

export interface ServeProcess {
  openUrl: string;
  token: string;
  port: number;
  output(): string;
  /** Whether the process still runs. */
  alive(): boolean;
  /** Kills it (SIGKILL to its group) and waits until it is gone. */
  stop(): Promise<void>;
}

const LINE = /Rackdeck web face: (\S+)/;

export async function spawnServe(cleanup: Cleanup, home: string, args: string[] = [], timeoutMs = 30_000): Promise<ServeProcess> {
  assertBuilt();
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--home', home, ...args], {
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
  const alive = () => child.exitCode === null && child.signalCode === null;
  const stop = async () => {
    if (!alive()) return;
    process.kill(-pid, 'SIGKILL');
    await exited;
  };
  cleanup.add(`stop rackdeck serve (pid ${pid})`, stop);
  const openUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`rackdeck serve printed no URL within ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const check = () => {
      const m = LINE.exec(out);
      if (!m?.[1]) return;
      clearTimeout(timer);
      child.stdout.off('data', check);
      resolve(m[1]);
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`rackdeck serve exited (code ${code}) before printing its URL:\n${out}`));
    });
  });
  const url = new URL(openUrl);
  return { openUrl, token: /token=([^&]+)/.exec(url.hash)?.[1] ?? '', port: Number(url.port), output: () => out, alive, stop };
}
