/**
 * Issue 12: "2 CLI processes × 200 adds racing → 400 servers", with no engine (each add holds
 * the home's lock for its one command), with `serve` running (each add a request over its
 * socket), and with the engine killed halfway (the commands still running take its lock over).
 *
 * Each of the two racing processes runs its 200 adds one after the other as whole CLI commands
 * (runCli, as bin/rackdeck.mjs calls it) instead of spawning 400 processes, which on this
 * 2-core machine would take minutes: the race between the processes, for the lock or for the
 * engine, is the same. tests/ownership/serve.test.ts spawns the built CLI for every command.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { builtCliExists, configServers, newHome, rackdeck, ROOT, startServe, undoList, waitFor, type Served } from './kit';

const PER_PROCESS = 200;
/** 400 whole commands on a shared 2-core machine: a generous bound, not a measure (the bench measures). */
const RACE_TIMEOUT = 10 * 60_000;
const undo = undoList();
afterEach(() => undo.run());

interface Worker {
  lines: string[];
  done: Promise<number | null>;
}

function startWorker(home: string, prefix: string, octet: number): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'add-worker.ts'), home, prefix, String(PER_PROCESS), String(octet)], { cwd: ROOT, env: { ...process.env, RACKDECK_HOME: '' } });
  const lines: string[] = [];
  let buffered = '';
  child.stdout.on('data', (d: Buffer) => {
    buffered += d.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    lines.push(...parts);
  });
  child.stderr.on('data', (d: Buffer) => lines.push(`stderr ${d.toString()}`));
  const done = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  undo.push(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
    return done;
  });
  return { lines, done };
}

const added = (w: Worker) => w.lines.filter((l) => l.startsWith('ok ')).length;

async function race(home: string, midway?: (added: number) => boolean) {
  const a = startWorker(home, 'a', 121);
  const b = startWorker(home, 'b', 122);
  if (midway) await waitFor('the race to reach halfway', () => midway(added(a) + added(b)), RACE_TIMEOUT);
  const codes = await Promise.all([a.done, b.done]);
  expect(codes, [...a.lines, ...b.lines].filter((l) => !l.startsWith('ok ')).join('\n')).toEqual([0, 0]);
  expect(added(a) + added(b)).toBe(2 * PER_PROCESS);
  return { a, b };
}

async function expectAll(home: string) {
  const expected = ['a', 'b'].flatMap((p) => Array.from({ length: PER_PROCESS }, (_, i) => `${p}-${i + 1}`)).sort();
  expect(configServers(home).map((s) => s.name).sort()).toEqual(expected);
  const list = await rackdeck(home, 'list', '--json');
  expect(list.code, list.err).toBe(0);
  expect((JSON.parse(list.out) as { name: string }[]).map((s) => s.name).sort()).toEqual(expected);
}

describe.skipIf(!builtCliExists())('2 CLI processes × 200 adds, racing', () => {
  it('with no engine: each add takes the lock for its command; 400 servers', async () => {
    const home = newHome(undo);
    await race(home);
    await expectAll(home);
  }, RACE_TIMEOUT);

  it('with serve running: each add is a request to the engine; 400 servers', async () => {
    const home = newHome(undo);
    const served = await startServe(home, undo);
    const { a, b } = await race(home);
    // Every add went through the engine: it held the home throughout, nobody took it over.
    expect(JSON.parse(fs.readFileSync(path.join(home, 'rackdeck.lock'), 'utf8'))).toMatchObject({ pid: served.pid, face: 'serve' });
    expect([...a.lines, ...b.lines].filter((l) => !l.startsWith('ok ') && l !== 'done')).toEqual([]);
    await expectAll(home);
    expect(await served.stop()).toBe(0);
    await expectAll(home);
  }, RACE_TIMEOUT);

  it('with the engine killed (kill -9) halfway: the remaining commands take its lock over and finish; nothing lost', async () => {
    const home = newHome(undo);
    const served: Served = await startServe(home, undo);
    const { a, b } = await race(home, (n) => {
      if (n < PER_PROCESS) return false;
      served.child.kill('SIGKILL');
      return true;
    });
    await served.exited;
    // Exactly one process took the dead engine's lock over, and said so.
    const takeovers = [...a.lines, ...b.lines].filter((l) => l.startsWith('takeover'));
    expect(takeovers).toHaveLength(1);
    expect(takeovers[0]).toMatch(new RegExp(`serve \\(pid ${served.pid}, .*\\) is no longer running`));
    await expectAll(home);
  }, RACE_TIMEOUT);
});
