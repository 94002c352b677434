import fs from 'node:fs';
import { writeFileAtomic } from '../../store/atomic-file';
import type { JsonFile, JsonRead } from '../json-file';

export function readJsonFile(file: string): JsonRead {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'unreadable', reason: error instanceof Error ? error.message : String(error) };
  }
  try {
    return { kind: 'ok', value: JSON.parse(text) as unknown };
  } catch (error) {
    return { kind: 'unreadable', reason: `not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
}

/** Whole-file JSON writes through the store's atomic writer (temp file, fsync, rename; mode 0600). */
export function writeJsonAtomic(file: string, value: unknown): void {
  writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** Moves an unreadable file aside instead of overwriting it: what the admin had is never lost. */
export function setAside(file: string, now: number): string {
  const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
  const backup = `${file}.unreadable-${stamp}`;
  fs.renameSync(file, backup);
  return backup;
}

/** A cheap fingerprint of the file on disk, to notice another process (the CLI) wrote it. */
export function fileStamp(file: string): string | undefined {
  try {
    const st = fs.statSync(file);
    return `${st.mtimeMs}:${st.size}:${st.ino}`;
  } catch {
    return undefined;
  }
}

/** The JsonFile port over one path, for the health stores. */
export function jsonFileAt(file: string): JsonFile {
  return {
    path: file,
    read: () => readJsonFile(file),
    write: (value) => writeJsonAtomic(file, value),
    setAside: (now) => setAside(file, now),
    stamp: () => fileStamp(file),
  };
}
