import fs from 'node:fs';
import path from 'node:path';
import { fileStamp } from './atomic-file';

export interface WatchOptions {
  /** Events closer together than this are one change: an editor's save is often several writes. */
  debounceMs?: number;
  /** The cheap fallback: a stat this often, for file systems where fs.watch says nothing (network shares, some sync tools). */
  pollMs?: number;
}

export const DEFAULT_DEBOUNCE_MS = 150;
export const DEFAULT_POLL_MS = 2_000;

/**
 * Calls `onNotice` (debounced) when `file` may have changed. The folder is watched, not the
 * file, because every writer worth the name (this store, editors, sync tools) replaces the file
 * by a rename, which ends a watch on the old file. The watcher and timers never keep the
 * process alive. Deciding whether the content really changed (and whether it was our own
 * write) is the caller's job; this only says "look".
 */
export function watchFile(file: string, onNotice: () => void, options: WatchOptions = {}): () => void {
  const debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  const name = path.basename(file);
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let lastStamp = fileStamp(file);

  const fire = () => {
    timer = undefined;
    if (closed) return;
    lastStamp = fileStamp(file);
    onNotice();
  };
  const soon = () => {
    if (closed) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(fire, debounceMs);
    timer.unref();
  };

  let watcher: fs.FSWatcher | undefined;
  try {
    watcher = fs.watch(path.dirname(file), { persistent: false }, (_event, changed) => {
      // Some platforms do not say which file changed: then it may be ours.
      if (changed === null || changed === name) soon();
    });
    // A folder that vanishes or a watch the OS refuses leaves the poll to notice changes.
    watcher.on('error', () => {
      watcher?.close();
      watcher = undefined;
    });
  } catch {
    watcher = undefined;
  }
  const poll = setInterval(() => {
    if (fileStamp(file) !== lastStamp) soon();
  }, options.pollMs ?? DEFAULT_POLL_MS);
  poll.unref();

  return () => {
    closed = true;
    if (timer) clearTimeout(timer);
    clearInterval(poll);
    watcher?.close();
  };
}
