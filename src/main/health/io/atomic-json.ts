import { fileStamp, readJson, setAside, writeJsonAtomic } from '../../store/atomic-file';
import type { JsonFile } from '../json-file';

/**
 * The JsonFile port over one path, for the health stores: the store's one JSON reader, atomic
 * writer (temp file, fsync, rename; mode 0600) and set-aside routine.
 */
export function jsonFileAt(file: string): JsonFile {
  return {
    path: file,
    read: () => readJson(file, (raw: unknown) => raw),
    write: (value) => writeJsonAtomic(file, value),
    setAside: (now) => setAside(file, 'unreadable', now)?.backupPath ?? file,
    stamp: () => fileStamp(file),
  };
}
