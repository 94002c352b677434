/**
 * The home's lock (src/main/store/home-lock.ts): one owner at a time, what it says about the
 * owner, a dead owner's lock taken over exactly once however many take it at the same moment.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../src/main/base/logger';
import { acquireHomeLock, describeOwner, HomeBusyError, lockPath, sinceText, tryAcquireHomeLock, type LockOwner } from '../../src/main/store/home-lock';
import { newHome, ROOT, undoList, waitFor } from './kit';

const undo = undoList();
afterEach(() => undo.run());

/** The pid of a process that has ended: nobody answers to it now. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout.toString());
}

function writeLock(home: string, owner: Partial<LockOwner>) {
  fs.writeFileSync(lockPath(home), JSON.stringify({ pid: 1, face: 'serve', startedAt: Date.now(), id: 'x', ...owner }), { mode: 0o600 });
}

describe('the home lock', () => {
  it('is one file, 0600, naming its holder; a second taker is told who holds it; release removes it once', async () => {
    const home = newHome(undo);
    const log = memoryLogger();
    const lock = await acquireHomeLock(home, { face: 'serve', log });
    expect(lock).toBeDefined();
    expect(fs.statSync(lockPath(home)).mode & 0o777).toBe(0o600);
    lock?.update({ url: 'http://127.0.0.1:7373/' });
    const written = JSON.parse(fs.readFileSync(lockPath(home), 'utf8')) as LockOwner;
    expect(written).toMatchObject({ pid: process.pid, face: 'serve', url: 'http://127.0.0.1:7373/' });

    const second = tryAcquireHomeLock(home, { face: 'serve' }, log);
    expect(second).toEqual({ busy: written });
    const refused = await acquireHomeLock(home, { face: 'serve', log, waitFor: (o) => o.face === 'cli' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(HomeBusyError);
    expect((refused as Error).message).toBe(`Rackdeck is already running for this home: serve, pid ${process.pid}, since ${sinceText(written.startedAt)} — open http://127.0.0.1:7373/ or stop it first`);

    lock?.release();
    lock?.release();
    expect(fs.existsSync(lockPath(home))).toBe(false);
    expect(log.lines).toEqual([]);
  });

  it('says who holds it in words an admin reads', () => {
    const at = new Date(2026, 0, 31, 10, 2).getTime();
    const sameDay = new Date(2026, 0, 31, 18, 0).getTime();
    expect(describeOwner({ pid: 4242, face: 'serve', startedAt: at, id: 'a', url: 'http://127.0.0.1:7373/' }, sameDay)).toBe(
      'Rackdeck is already running for this home: serve, pid 4242, since 10:02 — open http://127.0.0.1:7373/ or stop it first',
    );
    expect(describeOwner({ pid: 7, face: 'desktop', startedAt: at, id: 'a' }, sameDay)).toBe('Rackdeck is already running for this home: the desktop app, pid 7, since 10:02 — use its window or quit it first');
    expect(describeOwner({ pid: 7, face: 'cli', startedAt: at, id: 'a', command: 'rackdeck add' }, new Date(2026, 1, 2).getTime())).toMatch(
      /^Rackdeck is busy with another command on this home \(rackdeck add, pid 7, since 2026-01-31 10:02\)\. Try again when it has finished/,
    );
  });

  it("takes over the lock of a process that is gone, and of our own pid when we do not hold it (a restarted container), saying so", async () => {
    const home = newHome(undo);
    const dead = deadPid();
    writeLock(home, { pid: dead, face: 'serve' });
    const log = memoryLogger();
    const lock = await acquireHomeLock(home, { face: 'cli', log });
    expect(lock?.owner.pid).toBe(process.pid);
    expect(log.lines).toEqual([expect.stringMatching(new RegExp(`^warn took over the lock of .*rackdeck\\.lock: serve \\(pid ${dead}, since \\d\\d:\\d\\d\\) is no longer running$`))]);
    lock?.release();

    writeLock(home, { pid: process.pid, face: 'desktop', id: 'not-ours' });
    const again = await acquireHomeLock(home, { face: 'serve', log });
    expect(again?.owner.face).toBe('serve');
    expect(log.lines.at(-1)).toMatch(/the desktop app \(pid \d+, since .*\) is no longer running/);
    again?.release();
  });

  it('leaves a half-written lock alone for a moment, then takes it over', async () => {
    const home = newHome(undo);
    fs.writeFileSync(lockPath(home), '');
    const log = memoryLogger();
    expect(tryAcquireHomeLock(home, { face: 'cli' }, log)).toEqual({ retry: true });
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(lockPath(home), old, old);
    expect(tryAcquireHomeLock(home, { face: 'cli' }, log)).toEqual({ retry: true });
    const lock = tryAcquireHomeLock(home, { face: 'cli' }, log);
    expect('lock' in lock).toBe(true);
    expect(log.lines).toEqual([expect.stringContaining('it was unreadable and nobody wrote it for 5 s')]);
    if ('lock' in lock) lock.lock.release();
  });

  it('an engine waits for a command that holds the home, and takes it when the command is done', async () => {
    const home = newHome(undo);
    const log = memoryLogger();
    const command = await acquireHomeLock(home, { face: 'cli', command: 'rackdeck add', log });
    setTimeout(() => command?.release(), 100);
    const engine = await acquireHomeLock(home, { face: 'serve', log, waitFor: (o) => o.face === 'cli' });
    expect(engine?.owner.face).toBe('serve');
    engine?.release();
  });

  it.skipIf(process.getuid?.() !== 0)("refuses a lock another user owns (the home is one user's)", async () => {
    const home = newHome(undo);
    writeLock(home, { pid: process.pid, id: 'theirs' });
    fs.chownSync(lockPath(home), 4242, 4242);
    expect(() => tryAcquireHomeLock(home, { face: 'cli' }, memoryLogger())).toThrow(/rackdeck\.lock belongs to another user \(uid 4242\); Rackdeck will not share a home between users/);
  });

  it('six processes finding the same dead lock at once: exactly one takes it over, and they hold it one at a time', async () => {
    const home = newHome(undo);
    writeLock(home, { pid: deadPid(), face: 'serve' });
    const go = path.join(home, 'go');
    const runs = Array.from({ length: 6 }, () => {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'fixtures', 'take-lock.ts'), home, go], { cwd: ROOT });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      undo.push(() => child.kill('SIGKILL'));
      return new Promise<string>((resolve) => child.on('close', () => resolve(out)));
    });
    // Every contender is loaded and waiting before the start signal.
    await waitFor('six contenders ready', () => fs.readdirSync(home).filter((f) => f.startsWith('go.ready-')).length === 6);
    fs.writeFileSync(go, '');
    const outputs = await Promise.all(runs);
    const lines = outputs.join('').split('\n').filter(Boolean);
    expect(lines.filter((l) => l.startsWith('warn took over'))).toHaveLength(1);
    const holds = lines
      .filter((l) => l.startsWith('held '))
      .map((l) => l.split(' ').slice(1).map(Number) as [number, number])
      .sort((a, b) => a[0] - b[0]);
    expect(holds, outputs.join('\n')).toHaveLength(6);
    for (let i = 1; i < holds.length; i++) expect(holds[i]![0]).toBeGreaterThanOrEqual(holds[i - 1]![1]);
    expect(fs.readdirSync(home).filter((f) => f.startsWith('rackdeck.lock'))).toEqual([]);
  });
});
