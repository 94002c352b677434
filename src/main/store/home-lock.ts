import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../base/logger';
import { refuseForeign } from './foreign';

/**
 * Who owns a home: one engine (the desktop app, `serve`, `demo`) for as long as it runs, or one
 * CLI command for the time of that command when no engine runs. Everything else is a client of
 * the owner (docs/ARCHITECTURE.md, "Ownership"). The lock is `<home>/rackdeck.lock`, created
 * with O_EXCL so exactly one process can create it, mode 0600.
 */
export type LockFace = 'desktop' | 'serve' | 'demo' | 'cli';

export interface LockOwner {
  pid: number;
  face: LockFace;
  startedAt: number;
  /** The web face's address while it serves (never the token). */
  url?: string;
  /** What a CLI holder runs (`rackdeck add`), to say what the others wait for. */
  command?: string;
  /** Tells this holder's lock from a later one of the same pid. */
  id: string;
}

export interface HomeLock {
  readonly path: string;
  readonly owner: LockOwner;
  /** Records the web face's address once it listens. */
  update(patch: { url?: string }): void;
  /** Removes the lock if it is still this holder's; safe to call twice. */
  release(): void;
}

export const LOCK_FILE = 'rackdeck.lock';

/** A lock file still empty or half-written is left alone this long before it counts as stale. */
const UNREADABLE_GRACE_MS = 5_000;

/** The lock ids this process holds, so a lock naming our own pid is known to be ours or a leftover. */
const heldHere = new Set<string>();

export function lockPath(home: string): string {
  return path.join(home, LOCK_FILE);
}

/** Someone else owns the home. */
export class HomeBusyError extends Error {
  constructor(readonly owner: LockOwner) {
    super(describeOwner(owner));
    this.name = 'HomeBusyError';
  }
}

const ENGINE_WORDS: Record<LockFace, string> = { desktop: 'the desktop app', serve: 'serve', demo: 'demo', cli: 'a command' };

/** "since 10:02" today, "since 2026-01-31 10:02" on another day: local time, as the admin reads clocks. */
export function sinceText(at: number, now = Date.now()): string {
  const d = new Date(at);
  const hm = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  if (new Date(now).toDateString() === d.toDateString()) return hm;
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')} ${hm}`;
}

/** The line an admin reads when the home is taken: who, since when, and what to do. */
export function describeOwner(owner: LockOwner, now = Date.now()): string {
  const who = `${ENGINE_WORDS[owner.face]}, pid ${owner.pid}, since ${sinceText(owner.startedAt, now)}`;
  if (owner.face === 'cli') {
    return `Rackdeck is busy with another command on this home (${owner.command ?? 'rackdeck'}, pid ${owner.pid}, since ${sinceText(owner.startedAt, now)}). Try again when it has finished, or start \`rackdeck serve\` so every command goes through one engine.`;
  }
  const what = owner.url ? `open ${owner.url} or stop it first` : owner.face === 'desktop' ? 'use its window or quit it first' : 'stop it first';
  return `Rackdeck is already running for this home: ${who} — ${what}`;
}

/** Parsed owner of a lock file's text, or undefined when it is not (yet) one. */
function parseOwner(text: string): LockOwner | undefined {
  try {
    const v = JSON.parse(text) as Partial<LockOwner>;
    if (typeof v.pid !== 'number' || typeof v.startedAt !== 'number' || typeof v.id !== 'string') return undefined;
    if (v.face !== 'desktop' && v.face !== 'serve' && v.face !== 'demo' && v.face !== 'cli') return undefined;
    return {
      pid: v.pid,
      face: v.face,
      startedAt: v.startedAt,
      id: v.id,
      ...(typeof v.url === 'string' ? { url: v.url } : {}),
      ...(typeof v.command === 'string' ? { command: v.command } : {}),
    };
  } catch {
    return undefined;
  }
}

/** Whether a process runs: signal 0 checks without sending. EPERM means it runs, as another user. */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A lock nobody holds any more: its process is gone, or it names us but we do not hold it (a container restarted with the same pid). */
function isStale(owner: LockOwner): boolean {
  if (owner.pid === process.pid) return !heldHere.has(owner.id);
  return !processAlive(owner.pid);
}

function checkOwnUid(file: string, what: string): void {
  refuseForeign(fs.statSync(file, { throwIfNoEntry: false }), file, what);
}

type Attempt = { lock: HomeLock } | { busy: LockOwner } | { retry: true };

/**
 * The next turn, reserved by the first process that had to wait (`rackdeck.lock.next`): a
 * command that finds the lock free leaves it to that waiter, so two commands run in a loop take
 * turns instead of one starving the other. A waiter refreshes its reservation while it waits; one
 * that died or stopped refreshing loses it.
 */
const RESERVATION_MS = 2_000;

function reservationPath(file: string): string {
  return `${file}.next`;
}

/** Whether a live waiter other than `waiter` holds the next turn; a dead or silent one's is removed. */
function reservedByOther(file: string, waiter: string | undefined): boolean {
  const next = reservationPath(file);
  const text = readText(next);
  if (text === undefined) return false;
  const [pid, id] = text.split(' ');
  if (id === waiter) return false;
  const age = Date.now() - (fs.statSync(next, { throwIfNoEntry: false })?.mtimeMs ?? 0);
  if (age <= RESERVATION_MS && (id === undefined || processAlive(Number(pid)))) return true;
  if (readText(next) === text) fs.rmSync(next, { force: true });
  return false;
}

/** Takes the next turn if nobody has it, or keeps ours fresh; true while it is ours. */
function reserve(file: string, waiter: string): boolean {
  const next = reservationPath(file);
  const mine = `${process.pid} ${waiter}`;
  if (readText(next) === mine) {
    const now = new Date();
    fs.utimesSync(next, now, now);
    return true;
  }
  try {
    fs.writeFileSync(next, mine, { flag: 'wx', mode: 0o600 });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false;
  }
}

function unreserve(file: string, waiter: string): void {
  const next = reservationPath(file);
  if (readText(next) === `${process.pid} ${waiter}`) fs.rmSync(next, { force: true });
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Removes a stale lock, but only the one judged stale: a takeover guard (itself created with
 * O_EXCL) makes sure two processes that both saw it stale cannot remove a fresh lock the first
 * one created meanwhile. The new lock is then created with O_EXCL as usual, so one wins.
 */
function removeStale(file: string, staleText: string, log: Logger, owner: LockOwner | undefined): boolean {
  const guard = `${file}.takeover`;
  let fd: number;
  try {
    fd = fs.openSync(guard, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // Another process is taking over; its guard is left over only if it died in those few calls.
    const pid = Number(readText(guard));
    const age = Date.now() - (fs.statSync(guard, { throwIfNoEntry: false })?.mtimeMs ?? 0);
    if (pid > 0 ? !processAlive(pid) : age > UNREADABLE_GRACE_MS) fs.rmSync(guard, { force: true });
    return false;
  }
  try {
    fs.writeSync(fd, String(process.pid));
    fs.closeSync(fd);
    if (readText(file) !== staleText) return false;
    fs.rmSync(file, { force: true });
    log.warn(
      owner
        ? `took over the lock of ${file}: ${ENGINE_WORDS[owner.face]} (pid ${owner.pid}, since ${sinceText(owner.startedAt)}) is no longer running`
        : `took over the lock of ${file}: it was unreadable and nobody wrote it for ${UNREADABLE_GRACE_MS / 1000} s`,
    );
    return true;
  } finally {
    fs.rmSync(guard, { force: true });
  }
}

/**
 * One attempt: the lock, who holds it, or "try again" (a takeover or a write in progress, or the
 * next turn reserved by another waiter). `waiter` names the caller's reservation, if it has one.
 */
export function tryAcquireHomeLock(home: string, who: { face: LockFace; command?: string }, log: Logger, waiter?: string): Attempt {
  fs.mkdirSync(home, { recursive: true, mode: 0o700 });
  const file = lockPath(home);
  checkOwnUid(file, 'The lock');
  if (!fs.existsSync(file) && reservedByOther(file, waiter)) return { retry: true };
  const owner: LockOwner = { pid: process.pid, face: who.face, startedAt: Date.now(), id: randomUUID(), ...(who.command ? { command: who.command } : {}) };
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  if (fd === undefined) {
    const text = readText(file);
    if (text === undefined) return { retry: true }; // released between our two calls
    const current = parseOwner(text);
    if (current && !isStale(current)) return { busy: current };
    if (!current) {
      const age = Date.now() - (fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age < UNREADABLE_GRACE_MS) return { retry: true }; // its creator is still writing it
    }
    removeStale(file, text, log, current);
    return { retry: true };
  }
  try {
    fs.writeSync(fd, JSON.stringify(owner));
  } finally {
    fs.closeSync(fd);
  }
  return { lock: heldLock(file, owner) };
}

function heldLock(file: string, initial: LockOwner): HomeLock {
  let owner = initial;
  let held = true;
  heldHere.add(owner.id);
  const onExit = () => lock.release();
  process.on('exit', onExit);
  const ours = () => parseOwner(readText(file) ?? '')?.id === owner.id;
  const lock: HomeLock = {
    path: file,
    get owner() {
      return owner;
    },
    update(patch) {
      if (!held || !ours()) return;
      owner = { ...owner, ...patch };
      // Rewritten in place (not renamed over): the file must never be missing while we hold it.
      fs.writeFileSync(file, JSON.stringify(owner), { mode: 0o600 });
    },
    release() {
      if (!held) return;
      held = false;
      process.off('exit', onExit);
      heldHere.delete(owner.id);
      try {
        if (ours()) fs.rmSync(file, { force: true });
      } catch {
        // The home went away (a test's temporary folder): nothing left to release.
      }
    },
  };
  return lock;
}

export interface AcquireOptions {
  face: LockFace;
  command?: string;
  log: Logger;
  /** How long to wait for a holder to finish (default 5 s). */
  waitMs?: number;
  /** Gives up at once when this says so (an engine holds the home, not a passing command). */
  waitFor?: (owner: LockOwner) => boolean;
  /** Called between attempts (the CLI checks whether an engine came up and answers on its socket). */
  between?: () => Promise<boolean>;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Takes the home's lock, waiting up to `waitMs` for a holder to let go; then throws a
 * HomeBusyError naming the holder. Returns undefined when `between` says to stop trying.
 */
export async function acquireHomeLock(home: string, options: AcquireOptions): Promise<HomeLock | undefined> {
  const deadline = Date.now() + (options.waitMs ?? 5_000);
  const file = lockPath(home);
  const waiter = randomUUID();
  let delay = 5;
  try {
    for (;;) {
      const attempt = tryAcquireHomeLock(home, { face: options.face, ...(options.command ? { command: options.command } : {}) }, options.log, waiter);
      if ('lock' in attempt) return attempt.lock;
      if ('busy' in attempt && (Date.now() >= deadline || (options.waitFor && !options.waitFor(attempt.busy)))) throw new HomeBusyError(attempt.busy);
      if (!('busy' in attempt) && Date.now() >= deadline) {
        const text = readText(file);
        const holder = text ? parseOwner(text) : undefined;
        if (holder) throw new HomeBusyError(holder);
      }
      reserve(file, waiter);
      // Short, jittered pauses: a waiter notices a release soon, and two do not retry in lockstep.
      await pause(delay + Math.random() * delay);
      delay = Math.min(delay * 2, 40);
      if (options.between && (await options.between())) return undefined;
    }
  } finally {
    unreserve(file, waiter);
  }
}

/** The current holder of a home, if any (stale or not). */
export function readLock(home: string): LockOwner | undefined {
  const text = readText(lockPath(home));
  return text ? parseOwner(text) : undefined;
}
