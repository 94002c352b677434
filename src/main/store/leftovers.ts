import fs from 'node:fs';
import path from 'node:path';
import { stagedWriteOwner, stagedWriteTarget } from './atomic-file';
import { processAlive } from './home-lock';

/**
 * What a crash leaves in the home, cleared at start: staged writes (temp files) that were never
 * renamed over their target. The target is intact (that is the point of staging), so a staged
 * write holds nothing that was saved; it may hold a secret (the web token in config.json), so
 * it must not linger either.
 *
 * A staged write may also belong to a write in flight in another process on the same home (the
 * CLI beside `rackdeck serve`). Ours carry their writer's pid: removed once that process is gone.
 * conf's (`config.json.tmp-<time><hex>`, written and renamed within one synchronous call) carry
 * none: removed once older than a write can take.
 */

/** conf/atomically's staged config: `<file>.tmp-<10 digits><6 hex>`. */
const CONF_STAGED = /^(.+)\.tmp-\d{10}[0-9a-f]{6}$/;
/** lowdb's staged writes before the history used the store's writer: `.<file>.tmp`. */
const LOWDB_STAGED = /^\.(.+)\.tmp$/;

/** An unnamed staged write older than this is no write in flight. */
export const UNNAMED_GRACE_MS = 10_000;
/** A named one whose pid lives on this long was a crash whose pid was reused. */
const NAMED_GRACE_MS = 10 * 60_000;
/** How deep under the home to look: home/monitoring/, home/history/, nothing deeper today. */
const MAX_DEPTH = 3;

export interface SweepOptions {
  now?: number;
  /** Whether a process runs (tests); `process.kill(pid, 0)` by default. */
  alive?: (pid: number) => boolean;
}

function isStale(name: string, mtimeMs: number, now: number, alive: (pid: number) => boolean): boolean {
  const age = now - mtimeMs;
  if (stagedWriteTarget(name) !== undefined) {
    const owner = stagedWriteOwner(name);
    if (owner === undefined) return age > UNNAMED_GRACE_MS;
    return !alive(owner) || age > NAMED_GRACE_MS;
  }
  if (CONF_STAGED.test(name) || LOWDB_STAGED.test(name)) return age > UNNAMED_GRACE_MS;
  return false;
}

/** Removes the staged writes a crash left in `home` and its folders; returns the paths removed. */
export function removeStaleTemps(home: string, options: SweepOptions = {}): string[] {
  const now = options.now ?? Date.now();
  const alive = options.alive ?? processAlive;
  const removed: string[] = [];
  const visit = (dir: string, depth: number) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      // Never follows a link: only what is in the home itself.
      if (entry.isDirectory()) {
        if (depth < MAX_DEPTH) visit(full, depth + 1);
        continue;
      }
      if (!entry.isFile()) continue;
      try {
        if (isStale(entry.name, fs.lstatSync(full).mtimeMs, now, alive)) {
          fs.rmSync(full, { force: true });
          removed.push(full);
        }
      } catch {
        // Gone already (its writer renamed it): nothing to do.
      }
    }
  };
  visit(home, 0);
  return removed;
}

/** The home's folders that hold the admin's data: readable by the owner only. */
const PRIVATE_DIRS = ['', 'monitoring', 'history', 'integrations', 'web-tls'];

/**
 * Creates the home (0700) if needed and takes group and other rights off it and its data folders
 * if an earlier version left them open (0755). Never widens what the admin set.
 */
export function securePrivateDirs(home: string): void {
  const made = fs.mkdirSync(home, { recursive: true, mode: 0o700 }) !== undefined;
  // A folder pointed at that is not Rackdeck's yet (RACKDECK_HOME=$HOME) keeps its own rights.
  const ours = made || ['config.json', 'secret.key'].some((f) => fs.existsSync(path.join(home, f)));
  for (const sub of PRIVATE_DIRS) {
    if (sub === '' && !ours) continue;
    const dir = path.join(home, sub);
    try {
      const st = fs.lstatSync(dir);
      if (st.isDirectory() && (st.mode & 0o077) !== 0) fs.chmodSync(dir, st.mode & 0o700);
    } catch {
      // Not made yet: the writer makes it 0700.
    }
  }
}

/** At every start, before anything reads the home: private folders, no crash leftovers. */
export function tidyHome(home: string, options: SweepOptions = {}): string[] {
  securePrivateDirs(home);
  return removeStaleTemps(home, options);
}
