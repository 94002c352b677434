import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export type JsonRead = { kind: 'missing' } | { kind: 'ok'; value: unknown } | { kind: 'unreadable'; reason: string };

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

/**
 * Writes through a temp file in the same folder, flushed, then renamed over the target: a crash
 * leaves either the old file or the new one, never half of each. Mode 0600: these files hold
 * key hashes and the admin's settings.
 */
export function writeJsonAtomic(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const fd = fs.openSync(tmp, 'w', 0o600);
  try {
    fs.writeFileSync(fd, `${JSON.stringify(value, null, 2)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.renameSync(tmp, file);
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw error;
  }
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
