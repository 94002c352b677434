import fs from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';

/**
 * One JSON document on disk through lowdb. lowdb's writer (steno) writes `.<name>.tmp` next to
 * the file and renames it over the file, so a reader (or a crash) sees the old document or the
 * new one, never half of one. Compact JSON: these files are for the program, and pretty-printing
 * would double them.
 */
export class JsonFile {
  private readonly low: Low<unknown>;

  constructor(readonly file: string) {
    this.low = new Low<unknown>(new DataFile<unknown>(file, { parse: JSON.parse, stringify: (data) => JSON.stringify(data) }), null);
  }

  /** The parsed document, or undefined when there is no file. Throws when the file is not JSON. */
  async read(): Promise<unknown> {
    this.low.data = null;
    await this.low.read();
    const data = this.low.data;
    this.low.data = null;
    return data ?? undefined;
  }

  async write(doc: object): Promise<void> {
    this.low.data = doc;
    try {
      await this.low.write();
    } finally {
      // The caller's state is the truth; holding the document here would only double the memory.
      this.low.data = null;
    }
  }

  /** Where steno stages a write: a leftover one is a write that a crash interrupted. */
  static tempFileOf(file: string): string {
    return path.join(path.dirname(file), `.${path.basename(file)}.tmp`);
  }

  /** Renames an unreadable file aside so it is never overwritten; returns the new path. */
  static async setAside(file: string, now: number): Promise<string> {
    const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
    const backup = `${file}.unreadable-${stamp}`;
    await fs.rename(file, backup);
    return backup;
  }
}
