/**
 * How a CLI command reaches its home's engine when none runs (src/main/faces/cli/engine-link.ts):
 * it takes the lock for its one command, waits for another command that holds it, says who holds
 * it when it gives up, never touches the lock for a usage mistake, and says where figures come
 * from when no engine gathers them.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliIn } from '../cli/run';
import { memoryLogger } from '../../src/main/base/logger';
import { acquireHomeLock, lockPath, sinceText } from '../../src/main/store/home-lock';
import { newHome, undoList } from './kit';

const undo = undoList();
afterEach(() => undo.run());

async function cli(home: string, ...argv: string[]) {
  return runCliIn(home, argv);
}

/** A live process that is not an engine: a lock naming it stands, but no socket answers. */
function livePid(): number {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
  undo.push(() => child.kill('SIGKILL'));
  return child.pid as number;
}

describe('a CLI command with no engine running', () => {
  it('metrics, alerts and log say that figures are gathered while the desktop app or serve runs, and how to start one', async () => {
    const home = newHome(undo);
    expect((await cli(home, 'add', 'nas', '--address', '127.0.133.1')).code).toBe(0);
    const note = `Note: figures, alerts and the action log are gathered while the desktop app or \`rackdeck serve\` runs on this home, and neither runs now. Start one with: rackdeck serve --home ${home}`;
    for (const argv of [['metrics', 'nas', '--range', 'hour'], ['alerts'], ['log']]) {
      const r = await cli(home, ...argv);
      expect(r.code, argv.join(' ')).toBe(0);
      expect(r.err, argv.join(' ')).toBe(note);
    }
    expect((await cli(home, 'metrics', 'nas')).out).toMatch(/No figures recorded in this range yet\./);
    // Scripts reading JSON get JSON and nothing else.
    expect(await cli(home, 'log', '--json')).toEqual({ code: 0, out: '[]', err: '' });
    // Nothing is left behind by a command: its lock went with it.
    expect(fs.existsSync(lockPath(home))).toBe(false);
  });

  it('a usage mistake or --help answers at once, without waiting for the home', async () => {
    const home = newHome(undo);
    fs.writeFileSync(lockPath(home), JSON.stringify({ pid: livePid(), face: 'serve', startedAt: Date.now(), id: 'theirs' }));
    // Had they waited for the home, they would have given up with the owner's name (exit 1).
    expect(await cli(home, 'add', 'x')).toMatchObject({ code: 2, err: expect.stringContaining('address (--address): an address is required') });
    expect(await cli(home, 'list', '--help')).toMatchObject({ code: 0, out: expect.stringMatching(/^Usage: rackdeck list/) });
    expect(fs.readdirSync(home)).toEqual(['rackdeck.lock']);
  });

  it('waits for another command that holds the home, then runs', async () => {
    const home = newHome(undo);
    const other = await acquireHomeLock(home, { face: 'cli', command: 'rackdeck add', log: memoryLogger() });
    setTimeout(() => other?.release(), 300);
    expect(await cli(home, 'add', 'after-wait', '--address', '127.0.133.2')).toMatchObject({ code: 0, out: 'Added after-wait (127.0.133.2) as after-wait.' });
  });

  it('gives up after about 5 s and says who holds the home: another command, or an engine whose socket does not answer', async () => {
    const busyHome = newHome(undo);
    const holder = await acquireHomeLock(busyHome, { face: 'cli', command: 'rackdeck exec', log: memoryLogger() });
    undo.push(() => holder?.release());
    const stuckHome = newHome(undo);
    const pid = livePid();
    const startedAt = Date.now();
    fs.writeFileSync(lockPath(stuckHome), JSON.stringify({ pid, face: 'serve', startedAt, id: 'theirs', url: 'http://127.0.0.1:7373/' }));

    const [busy, stuck] = await Promise.all([cli(busyHome, 'list'), cli(stuckHome, 'list')]);
    expect(busy.code).toBe(1);
    expect(busy.err).toBe(
      `rackdeck list: Rackdeck is busy with another command on this home (rackdeck exec, pid ${process.pid}, since ${sinceText(holder!.owner.startedAt)}). Try again when it has finished, or start \`rackdeck serve\` so every command goes through one engine.`,
    );
    expect(stuck.code).toBe(1);
    expect(stuck.err).toBe(
      `rackdeck list: Rackdeck is already running for this home: serve, pid ${pid}, since ${sinceText(startedAt)} — open http://127.0.0.1:7373/ or stop it first\n(its control socket does not answer: is it still starting, or stuck?)`,
    );
    // Neither touched what it does not own.
    expect(JSON.parse(fs.readFileSync(lockPath(stuckHome), 'utf8'))).toMatchObject({ pid, id: 'theirs' });
  });
});
