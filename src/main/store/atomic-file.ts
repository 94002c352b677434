import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import * as z from 'zod';

/**
 * Whole files in the home (known hosts, secrets, health, agents, alerts, history shards) and
 * what to do with a damaged one, in one place. Writes are whole or nothing: the data goes to a
 * temp file beside the target, is fsynced, then renamed over it, so a crash mid-write leaves
 * the old file, never half of the new one; mode 0600, since these files hold the admin's
 * inventory, hashes and sealed secrets. A file that cannot be read is either a reason to stop
 * (`readJsonFile`: pinned host keys, secrets) or set aside under a new name and never
 * overwritten (`loadJson`: everything that can start afresh), so what the admin had is never
 * lost.
 */

/** Turns what a file holds into a value, throwing when it is not one: a zod schema, or a function. */
export type JsonParser<T> = ((raw: unknown) => T) | { parse(raw: unknown): T };

/** Where an unreadable file was kept, and why it could not be read. */
export interface Recovery {
  file: string;
  backupPath: string;
  reason: string;
}

export type JsonLoad<T> = { kind: 'missing' } | { kind: 'ok'; value: T } | { kind: 'set-aside'; recovery: Recovery };

export type JsonRead<T> = { kind: 'missing' } | { kind: 'ok'; value: T } | { kind: 'unreadable'; reason: string };

// ---- writing ---------------------------------------------------------------------------------

/**
 * A staged write: `<file>.<pid>-<8 hex>.tmp`, named by the process writing it so that a start
 * can tell a write a crash interrupted (its process is gone) from one in flight in another
 * process (the CLI beside the app); `<file>.<12 hex>.tmp` from before the pid was in the name.
 */
const STAGED = /^(.+)\.(?:(\d{1,10})-[0-9a-f]{8}|[0-9a-f]{12})\.tmp$/;

const stagedFileOf = (file: string): string => `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;

/** The process that staged a write, when its name says (undefined for the older names). */
export function stagedWriteOwner(name: string): number | undefined {
  const pid = STAGED.exec(name)?.[2];
  return pid === undefined ? undefined : Number(pid);
}

/** Folders the writer makes are the owner's alone, like the files in them. */
const DIR_MODE = 0o700;

/**
 * The file a staged write was meant to replace (`config.json` for `config.json.0123456789ab.tmp`),
 * or undefined when `name` is not one. A staged write left behind is a write that a crash
 * interrupted; the file it names is intact.
 */
export function stagedWriteTarget(name: string): string | undefined {
  return STAGED.exec(name)?.[1];
}

/**
 * Returns the written file's stamp (as `fileStamp` gives it), taken from the staged file before
 * the rename, which keeps inode, size and mtime: a stat after the rename could already see
 * someone else's file.
 */
export function writeFileAtomic(file: string, data: string | Buffer, mode = 0o600): string {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: DIR_MODE });
  const tmp = stagedFileOf(file);
  try {
    const fd = fs.openSync(tmp, 'w', mode);
    let stamp: string;
    try {
      fs.writeFileSync(fd, data);
      fs.fsyncSync(fd);
      stamp = stampOf(fs.fstatSync(fd));
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
    return stamp;
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw error;
  }
}

/**
 * The same write without blocking the event loop: for big files (history shards) written while
 * the engine serves requests. `data` may be a list of chunks, written with writev as they are
 * (a history shard is built from kept runs of bytes, not copied into one buffer).
 */
export async function writeFileAtomicAsync(file: string, data: string | Uint8Array | readonly Uint8Array[], { mode = 0o600, ensureDir = true }: { mode?: number; ensureDir?: boolean } = {}): Promise<void> {
  if (ensureDir) await fsp.mkdir(path.dirname(file), { recursive: true, mode: DIR_MODE });
  const tmp = stagedFileOf(file);
  try {
    const handle = await fsp.open(tmp, 'w', mode);
    try {
      if (typeof data === 'string' || data instanceof Uint8Array) await handle.writeFile(data);
      else {
        let rest = data;
        while (rest.length > 0) rest = unwritten(rest, (await handle.writev(rest as Uint8Array[])).bytesWritten);
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fsp.rename(tmp, file);
  } catch (error) {
    await fsp.rm(tmp, { force: true });
    throw error;
  }
}

/** The chunks after the first `written` bytes (libuv writes them all, but a write may stop short). */
function unwritten(chunks: readonly Uint8Array[], written: number): readonly Uint8Array[] {
  let k = 0;
  let left = written;
  while (k < chunks.length && left >= (chunks[k] as Uint8Array).length) left -= (chunks[k++] as Uint8Array).length;
  if (k === chunks.length) return [];
  if (left === 0 && written === 0) throw new Error('writev wrote nothing');
  return [(chunks[k] as Uint8Array).subarray(left), ...chunks.slice(k + 1)];
}

/** Pretty JSON for files an admin may open; `compact` for the ones only the program reads, which pretty-printing would double. */
function jsonText(value: unknown, compact: boolean): string {
  return `${compact ? JSON.stringify(value) : JSON.stringify(value, null, 2)}\n`;
}

export function writeJsonAtomic(file: string, value: unknown, options: { compact?: boolean } = {}): void {
  writeFileAtomic(file, jsonText(value, options.compact ?? false));
}

export function writeJsonAtomicAsync(file: string, value: unknown, options: { compact?: boolean } = {}): Promise<void> {
  return writeFileAtomicAsync(file, jsonText(value, options.compact ?? false));
}

// ---- reading ---------------------------------------------------------------------------------

const identity = (raw: unknown): unknown => raw;

/** Why a file could not be read, for the admin: a schema failure names every field at fault. */
function describe(error: unknown): string {
  if (error instanceof z.ZodError) return error.issues.map((i) => `${i.path.join('.') || 'document'}: ${i.message}`).join('; ');
  return error instanceof Error ? error.message : String(error);
}

function parseText<T>(text: string, parse: JsonParser<T>): JsonRead<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(text) as unknown;
  } catch (error) {
    return { kind: 'unreadable', reason: `not JSON (${describe(error)})` };
  }
  try {
    return { kind: 'ok', value: typeof parse === 'function' ? parse(raw) : parse.parse(raw) };
  } catch (error) {
    return { kind: 'unreadable', reason: describe(error) };
  }
}

function readFailure(error: unknown): JsonRead<never> {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
  return { kind: 'unreadable', reason: describe(error) };
}

/** The file as it is: missing, its parsed value, or unreadable with the reason (the caller decides what to do). */
export function readJson<T>(file: string, parse: JsonParser<T>): JsonRead<T> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    return readFailure(error);
  }
  return parseText(text, parse);
}

async function readJsonAsync<T>(file: string, parse: JsonParser<T>): Promise<JsonRead<T>> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (error) {
    return readFailure(error);
  }
  return parseText(text, parse);
}

/**
 * For files whose damage must stop the program rather than be worked around (a damaged pin
 * file must not turn into "trust any host key"): undefined when there is no file, the value
 * otherwise, and an error naming the file and the reason when it cannot be read.
 */
export function readJsonFile(file: string): unknown;
export function readJsonFile<T>(file: string, parse: JsonParser<T>): T | undefined;
export function readJsonFile(file: string, parse: JsonParser<unknown> = identity): unknown {
  const read = readJson(file, parse);
  if (read.kind === 'unreadable') throw new Error(`${file} could not be read: ${read.reason}`);
  return read.kind === 'ok' ? read.value : undefined;
}

// ---- setting aside -----------------------------------------------------------------------------

/**
 * Renames an unreadable file to `<file>.unreadable-<time>` (never over an earlier one), so the
 * next write cannot overwrite it. Undefined when the file is already gone: another process (the
 * CLI beside the app) set it aside first, and kept it.
 */
export function setAside(file: string, reason: string, now: number = Date.now()): Recovery | undefined {
  const base = `${file}.unreadable-${new Date(now).toISOString().replace(/[:.]/g, '-')}`;
  let backupPath = base;
  for (let n = 2; fs.existsSync(backupPath); n++) backupPath = `${base}-${n}`;
  try {
    fs.renameSync(file, backupPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return { file, backupPath, reason };
}

function settle<T>(file: string, read: JsonRead<T>, now: number): JsonLoad<T> {
  if (read.kind !== 'unreadable') return read;
  const recovery = setAside(file, read.reason, now);
  return recovery ? { kind: 'set-aside', recovery } : { kind: 'missing' };
}

/**
 * For files the program can start afresh without: the value, `missing`, or `set-aside` with
 * where the unreadable file was kept (the caller reports it and starts empty). `now` stamps the
 * kept file's name.
 */
export function loadJson<T>(file: string, parse: JsonParser<T>, now: number = Date.now()): JsonLoad<T> {
  return settle(file, readJson(file, parse), now);
}

export async function loadJsonAsync<T>(file: string, parse: JsonParser<T>, now: number = Date.now()): Promise<JsonLoad<T>> {
  return settle(file, await readJsonAsync(file, parse), now);
}

const stampOf = (st: fs.Stats): string => `${st.mtimeMs}:${st.size}:${st.ino}`;

/**
 * A cheap fingerprint of the file on disk, to notice another process (the CLI) wrote it. Asked
 * for every card (secrets.json, three times each), so a file that does not exist must not cost a
 * thrown error with its stack: `throwIfNoEntry` answers undefined for it instead.
 */
export function fileStamp(file: string): string | undefined {
  try {
    const st = fs.statSync(file, { throwIfNoEntry: false });
    return st === undefined ? undefined : stampOf(st);
  } catch {
    return undefined;
  }
}

/** The stamp of an open file, the same as `fileStamp` gives for its path. */
export function fdStamp(fd: number): string {
  return stampOf(fs.fstatSync(fd));
}
