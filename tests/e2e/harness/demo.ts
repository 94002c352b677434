import { spawn } from 'node:child_process';
import { BIN, ROOT } from './paths';
import type { Cleanup } from './cleanup';
import { assertBuilt } from './serve';

export interface Demo {
  openUrl: string;
  output(): string;
}

/** Stops a process group: SIGTERM, then SIGKILL if it is still there after 5 s. */
async function stopGroup(pid: number, exited: Promise<void>, isDone: () => boolean): Promise<void> {
  if (isDone()) return;
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const done = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 5000))]);
  if (!done) {
    signal('SIGKILL');
    await exited;
  }
}

/**
 * Runs a `rackdeck` command for real (`bin/rackdeck.mjs`, the built CLI) in its own process
 * group and resolves with the first stdout line `match` accepts. The group is stopped on
 * cleanup, or by the returned `stop`.
 */
export async function runUntilLine(
  cleanup: Cleanup,
  args: string[],
  match: (line: string) => boolean,
  timeoutMs = 40_000,
): Promise<{ line: string; output: () => string; stop: () => Promise<void> }> {
  assertBuilt();
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, RACKDECK_HOME: '' } });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start rackdeck ${args[0]}`);
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = () => stopGroup(pid, exited, () => child.exitCode !== null || child.signalCode !== null);
  cleanup.add(`stop rackdeck ${args[0]} (pid ${pid})`, stop);
  child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
  const line = await new Promise<string>((resolve, reject) => {
    let pending = '';
    const timer = setTimeout(() => reject(new Error(`rackdeck ${args.join(' ')} printed no expected line within ${timeoutMs} ms. Output:\n${out}`)), timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      pending += d;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      const hit = lines.find(match);
      if (hit !== undefined) {
        clearTimeout(timer);
        resolve(hit);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`rackdeck ${args.join(' ')} exited (code ${code}) early. Output:\n${out}`));
    });
  });
  return { line, output: () => out, stop };
}

/** `rackdeck demo --web --port 0 --home DIR`: the simulated homelab and Rackdeck's web face over it. */
export async function startDemo(cleanup: Cleanup, home: string, extra: string[] = []): Promise<Demo> {
  const { line, output } = await runUntilLine(cleanup, ['demo', '--web', '--port', '0', '--home', home, ...extra], (l) => l.startsWith('Rackdeck web face: '), 60_000);
  return { openUrl: line.slice('Rackdeck web face: '.length).trim(), output };
}
