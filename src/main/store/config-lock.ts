import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';

/**
 * A short-lived lock file around one read-check-write of config.json, so two processes (the
 * engine and a CLI, two CLIs) cannot both read revision N and both write N+1. It is taken with
 * O_EXCL (`wx`), which the kernel makes atomic, and held for milliseconds: the read, the hash
 * and one atomic write. A lock older than `staleMs`, or whose owner on this machine has died
 * (a `kill -9` mid-write), is taken over. This is not the engine's ownership of the home (that
 * is `rackdeck.lock`, held for the engine's whole life); it only serialises writes of one file.
 *
 * The wait is synchronous (Atomics.wait), since every config write is: a hold lasts a few
 * milliseconds, so the event loop is never blocked for long, and the store's callers keep
 * their synchronous `update` with no window between reading and writing.
 */

export interface LockOptions {
  /** A lock older than this is a leftover of a crashed writer. */
  staleMs?: number;
  /** Give up waiting after this long (longer than `staleMs`, so a stale lock is taken over first). */
  waitMs?: number;
}

const DEFAULT_STALE_MS = 5_000;
const DEFAULT_WAIT_MS = 8_000;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

function sleep(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

interface Holder {
  pid: number;
  host: string;
  token: string;
  at: number;
}

function readHolder(file: string): { holder: Holder | undefined; mtimeMs: number } | undefined {
  try {
    const mtimeMs = fs.statSync(file).mtimeMs;
    let holder: Holder | undefined;
    try {
      holder = JSON.parse(fs.readFileSync(file, 'utf8')) as Holder;
    } catch {
      holder = undefined; // being written this instant, or damaged: its age decides
    }
    return { holder, mtimeMs };
  } catch {
    return undefined; // released meanwhile
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isStale(seen: { holder: Holder | undefined; mtimeMs: number }, staleMs: number): boolean {
  if (Date.now() - seen.mtimeMs > staleMs) return true;
  const h = seen.holder;
  return h !== undefined && h.host === os.hostname() && h.pid !== process.pid && !alive(h.pid);
}

/**
 * Moves a stale lock out of the way. Two processes may find the same stale lock; the rename
 * lets only one of them remove it, and a lock that turns out to be a fresh one (taken between
 * our look and our rename) is put back.
 */
function breakStale(file: string, seen: Holder | undefined): void {
  const moved = `${file}.stale-${randomBytes(4).toString('hex')}`;
  try {
    fs.renameSync(file, moved);
  } catch {
    return; // someone else broke or released it
  }
  let was: Holder | undefined;
  try {
    was = JSON.parse(fs.readFileSync(moved, 'utf8')) as Holder;
  } catch {
    was = undefined;
  }
  if (seen && was && was.token !== seen.token) {
    try {
      fs.linkSync(moved, file); // a fresh holder's lock: give it back (fails if a third took the name meanwhile)
    } catch {
      /* the name is taken again: that holder's CAS still protects the file */
    }
  }
  fs.rmSync(moved, { force: true });
}

/** Runs `work` while holding `file` (e.g. `config.json.lock`); throws, naming the holder, when it cannot be had in time. */
export function withFileLock<T>(file: string, work: () => T, options: LockOptions = {}): T {
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  const deadline = Date.now() + (options.waitMs ?? DEFAULT_WAIT_MS);
  const me: Holder = { pid: process.pid, host: os.hostname(), token: randomBytes(8).toString('hex'), at: Date.now() };
  for (let pause = 1; ; pause = Math.min(pause * 2, 8)) {
    try {
      const fd = fs.openSync(file, 'wx', 0o600);
      try {
        fs.writeSync(fd, JSON.stringify(me));
      } finally {
        fs.closeSync(fd);
      }
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const seen = readHolder(file);
    if (seen && isStale(seen, staleMs)) {
      breakStale(file, seen.holder);
      continue;
    }
    if (Date.now() > deadline) {
      const who = seen?.holder ? `process ${seen.holder.pid} on ${seen.holder.host}` : 'another process';
      throw new Error(`${file} is held by ${who}; config.json was not written. Try again in a moment.`);
    }
    sleep(pause);
  }
  try {
    return work();
  } finally {
    // Only our own lock is removed: if it was broken as stale meanwhile, the name is someone else's.
    const now = readHolder(file);
    if (now?.holder?.token === me.token) fs.rmSync(file, { force: true });
  }
}
