import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import type { SetAsideServer } from '../../shared/contract/servers';
import { HandlerError } from '../base/errors';
import { fdStamp, fileStamp, setAside, writeFileAtomic, type Recovery } from './atomic-file';
import { configDocumentSchema, emptyDocument, type ConfigDocument } from './config-document';
import { withFileLock, type LockOptions } from './config-lock';
import { describeIssues, salvageDocument, type Salvaged } from './config-salvage';
import { SOURCE_ID } from '../base/version';
import { keepRejected, listRejected } from './config-sidecar';
import { isChecked, markChecked } from './config-checked';
import { watchFile, type WatchOptions } from './config-watch';

/** What the store saw of config.json that it did not write itself. */
export type ConfigChange =
  /** Someone else wrote a usable file: `doc` is now the store's document (servers it could not load are in `setAside`). */
  | { kind: 'changed'; previous: ConfigDocument; doc: ConfigDocument; setAside: SetAsideServer[]; recovered: boolean }
  /** Someone else wrote a file that cannot be used: it is left as written, and writes are refused until it is fixed. */
  | { kind: 'invalid'; reason: string }
  /** The file was deleted: the store keeps its document and writes it again at the next change. */
  | { kind: 'missing' };

export interface ConfigStore {
  readonly path: string;
  /** Set when the file could not be read at all at open, and was kept aside instead of overwritten. */
  readonly recovery: Recovery | undefined;
  /** Server entries set aside when the store opened (each kept in a sidecar beside the file). */
  readonly setAsideAtOpen: readonly SetAsideServer[];
  /** Why writes are refused right now (the file on disk cannot be used), or undefined. */
  readonly blocked: string | undefined;
  read(): ConfigDocument;
  /**
   * The one way to change the file: `mutate` is applied to the document as it is on disk now
   * (a change someone else made is first taken in and reported to `onChange`), validated, and
   * written, all under the lock. So no write is lost, from this process or another. Throws,
   * writing nothing, when `mutate` throws, its result fails the schema, or the file on disk
   * cannot be used.
   */
  update(mutate: (doc: ConfigDocument) => ConfigDocument): ConfigDocument;
  /** Looks at the file now and reports a change someone else made (the watcher calls it). */
  check(): void;
  /** Listeners are called synchronously, inside `check` or `update`, and must not throw. */
  onChange(listener: (change: ConfigChange) => void): () => void;
  /** Watches the file for changes made by others until the returned function is called. */
  watch(options?: WatchOptions): () => void;
  /** Every server entry kept aside beside the file, from this run or an earlier one. */
  rejected(): SetAsideServer[];
  /**
   * Judges the last text this store wrote, if the file still holds it, and marks it checked
   * (config-checked.ts) when it is this build's own output, so the next process to open it takes
   * it as it is. The engine calls it when it stops: a write then costs one judging here, where
   * the schemas are usually built already, rather than at the next start.
   */
  vouchForLastWrite(): void;
}

export interface ConfigStoreOptions {
  now?: () => number;
  /** The schema fingerprint a judged text is marked with (config-checked.ts); the build's by default, none from source. */
  checkedBy?: string | undefined;
  lock?: LockOptions;
}

type Disk = { kind: 'missing' } | { kind: 'text'; text: string; hash: string; stamp: string };
/** `own`: the text is exactly what this build writes for its document (nothing to fill in, change or set aside). */
type Reading = { kind: 'ok'; salvaged: Salvaged; own: boolean } | { kind: 'invalid'; reason: string };

const hashOf = (text: string): string => createHash('sha256').update(text).digest('hex');

function readDisk(file: string): Disk {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw error;
  }
  try {
    const stamp = fdStamp(fd);
    const text = fs.readFileSync(fd, 'utf8');
    return { kind: 'text', text, hash: hashOf(text), stamp };
  } finally {
    fs.closeSync(fd);
  }
}

/** A text this build judged before and found to be its own output (config-checked.ts): taken as it is. */
function vouchedFor(text: string): Reading {
  return { kind: 'ok', salvaged: { doc: JSON.parse(text) as ConfigDocument, rejected: [] }, own: true };
}

function interpret(text: string): Reading {
  let raw: unknown;
  try {
    raw = JSON.parse(text) as unknown;
  } catch (error) {
    return { kind: 'invalid', reason: `not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  try {
    const salvaged = salvageDocument(raw);
    return { kind: 'ok', salvaged, own: salvaged.rejected.length === 0 && JSON.stringify(raw) === JSON.stringify(salvaged.doc) };
  } catch (error) {
    return { kind: 'invalid', reason: error instanceof z.ZodError ? describeIssues(error) : error instanceof Error ? error.message : String(error) };
  }
}

export function blockedError(file: string, reason: string): HandlerError {
  return new HandlerError(
    'conflict',
    `${file} was changed outside Rackdeck and cannot be used (${reason}). Rackdeck left it as it is and did not write it: fix the file (or move it away) and try again.`,
  );
}

/**
 * `<home>/config.json`, read server by server (a bad entry is set aside, not the inventory),
 * written only under `config.json.lock` and only over the revision it last read or wrote
 * (compare-and-swap on the content's hash), and watched for changes made by hand, by a sync
 * tool or by another process. A file that cannot be read at all when the store opens is renamed
 * to `config.json.unreadable-<time>` and reported; one that turns unusable while the store is
 * open is left alone, and writes are refused until it is fixed: what the admin saved is never
 * overwritten.
 */
export function openConfigStore(home: string, options: ConfigStoreOptions = {}): ConfigStore {
  fs.mkdirSync(home, { recursive: true });
  const file = path.join(home, 'config.json');
  const lockFile = `${file}.lock`;
  const now = options.now ?? Date.now;
  const checkedBy = 'checkedBy' in options ? options.checkedBy : SOURCE_ID;
  /** Reads a text: taken as it is when the mark vouches for it, judged (and marked when it is this build's own output) otherwise. */
  const read = (disk: Extract<Disk, { kind: 'text' }>): Reading => {
    if (isChecked(file, disk.hash, checkedBy)) return vouchedFor(disk.text);
    const reading = interpret(disk.text);
    if (reading.kind === 'ok' && reading.own) markChecked(file, disk.hash, checkedBy);
    return reading;
  };
  const listeners = new Set<(change: ConfigChange) => void>();
  const emit = (change: ConfigChange) => {
    for (const listener of listeners) listener(change);
  };

  // Set by the opening below, in every case (the empty document is built only when needed: building it judges one).
  let doc: ConfigDocument;
  /** The revision `doc` stands for: the hash and stamp of the file as last read or written; undefined hash: no file yet. */
  let known: { hash: string | undefined; stamp: string | undefined } = { hash: undefined, stamp: undefined };
  let blocked: { hash: string; stamp: string; reason: string } | undefined;
  let missingReported = false;
  let updating = false;
  let recovery: Recovery | undefined;
  let setAsideAtOpen: SetAsideServer[] = [];

  /** The last text written, until it is judged (`vouchForLastWrite`). */
  let unjudged: { text: string; hash: string } | undefined;

  const writeDoc = (next: ConfigDocument) => {
    const text = `${JSON.stringify(next, null, 2)}\n`;
    const stamp = writeFileAtomic(file, text);
    const hash = hashOf(text);
    known = { hash, stamp };
    unjudged = { text, hash };
    doc = next;
    blocked = undefined;
    missingReported = false;
  };

  /** Takes in what someone else wrote; false (after reporting it once) when it cannot be used. */
  const adopt = (disk: Extract<Disk, { kind: 'text' }>): boolean => {
    const reading = read(disk);
    if (reading.kind === 'invalid') {
      if (blocked?.hash !== disk.hash) {
        blocked = { hash: disk.hash, stamp: disk.stamp, reason: reading.reason };
        emit({ kind: 'invalid', reason: reading.reason });
      }
      return false;
    }
    const { doc: next, rejected } = reading.salvaged;
    // Kept before anything could rewrite the file without them.
    const setAsideNow = rejected.length > 0 ? keepRejected(file, rejected, now()) : [];
    const previous = doc;
    const recovered = blocked !== undefined;
    doc = next;
    known = { hash: disk.hash, stamp: disk.stamp };
    blocked = undefined;
    missingReported = false;
    emit({ kind: 'changed', previous, doc: structuredClone(next), setAside: setAsideNow, recovered });
    return true;
  };

  const reportMissing = () => {
    if (known.hash === undefined || missingReported) return;
    missingReported = true;
    emit({ kind: 'missing' });
  };

  // Opening: under the lock, since a first write-back (migrated, defaults filled, entries set
  // aside) must not race another process's write.
  withFileLock(
    lockFile,
    () => {
      const disk = readDisk(file);
      if (disk.kind === 'missing') return writeDoc(emptyDocument());
      const reading = read(disk);
      if (reading.kind === 'invalid') {
        recovery = setAside(file, reading.reason, now());
        return writeDoc(emptyDocument());
      }
      const { doc: loaded, rejected } = reading.salvaged;
      if (rejected.length > 0) setAsideAtOpen = keepRejected(file, rejected, now());
      doc = loaded;
      known = { hash: disk.hash, stamp: disk.stamp };
      if (!reading.own) writeDoc(loaded);
    },
    options.lock,
  );

  const check = () => {
    if (updating) return;
    const stamp = fileStamp(file);
    if (stamp === undefined) return reportMissing();
    if (stamp === known.stamp || stamp === blocked?.stamp) return;
    const disk = readDisk(file);
    if (disk.kind === 'missing') return reportMissing();
    if (disk.hash === known.hash) {
      known = { hash: disk.hash, stamp: disk.stamp }; // touched, or put back as Rackdeck last wrote it
      if (blocked) {
        blocked = undefined;
        emit({ kind: 'changed', previous: doc, doc: structuredClone(doc), setAside: [], recovered: true });
      }
      return;
    }
    if (disk.hash === blocked?.hash) return;
    adopt(disk);
  };

  return {
    path: file,
    get recovery() {
      return recovery;
    },
    get setAsideAtOpen() {
      return setAsideAtOpen;
    },
    get blocked() {
      return blocked?.reason;
    },
    read: () => structuredClone(doc),
    update(mutate) {
      if (updating) throw new Error('config.json is already being updated: a change cannot start while another is applied');
      updating = true;
      try {
        return withFileLock(
          lockFile,
          () => {
            const disk = readDisk(file);
            // A deleted file is written again with the document Rackdeck holds: nothing of the admin's is lost.
            if (disk.kind === 'text' && disk.hash !== known.hash && !adopt(disk)) throw blockedError(file, blocked?.reason ?? 'unreadable');
            const next = configDocumentSchema.parse(mutate(structuredClone(doc)));
            writeDoc(next);
            return structuredClone(next);
          },
          options.lock,
        );
      } finally {
        updating = false;
      }
    },
    check,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    watch: (watchOptions) => watchFile(file, check, watchOptions),
    rejected: () => listRejected(file),
    vouchForLastWrite() {
      const last = unjudged;
      unjudged = undefined;
      if (!last || isChecked(file, last.hash, checkedBy)) return;
      // Someone else's text since (not yet seen by the watch, perhaps): theirs is judged when read.
      const disk = readDisk(file);
      if (disk.kind !== 'text' || disk.hash !== last.hash) return;
      const reading = interpret(last.text);
      if (reading.kind === 'ok' && reading.own) markChecked(file, last.hash, checkedBy);
    },
  };
}
