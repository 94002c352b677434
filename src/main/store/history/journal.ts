import fs from 'node:fs/promises';
import * as z from 'zod';
import { actionInputSchema, metricSampleSchema } from '../../../shared/metrics';
import { POWER_STATES } from '../../../shared/power';
import { lazySchema } from '../../../shared/contract/lazy';

/**
 * The write-ahead journal between two compactions. Every server reports every minute, so a
 * periodic flush that rewrote the shards it touched would rewrite all of them (tens of megabytes
 * a minute for a big lab, and an SD card's lifetime). Instead a flush appends what happened since
 * the last one, one JSON line per record; the shards are rewritten on a longer interval and at
 * close, then the journal is emptied. A crash loses at most what was not yet appended: one flush
 * interval. A torn last line (crash mid-append) is skipped on replay.
 */
const idSchema = lazySchema(() => z.string().min(1).max(200));

const journalRecordSchema = lazySchema(() => z.discriminatedUnion('k', [
  z.object({ k: z.literal('s'), id: idSchema, s: metricSampleSchema }).strict(),
  z.object({ k: z.literal('p'), id: idSchema, at: z.number().finite(), state: z.enum(POWER_STATES) }).strict(),
  z.object({ k: z.literal('x'), id: idSchema }).strict(),
  z.object({ k: z.literal('a'), a: actionInputSchema.extend({ id: z.number().int().min(1) }) }).strict(),
]));
export type JournalRecord = z.infer<typeof journalRecordSchema>;

interface JournalReplay {
  records: JournalRecord[];
  /** Lines that were not valid records (a torn write, a foreign edit). */
  skipped: number;
}

export async function readJournal(file: string): Promise<JournalReplay> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], skipped: 0 };
    throw error;
  }
  const lines = text.split('\n');
  const records: JournalRecord[] = [];
  let skipped = 0;
  lines.forEach((line, i) => {
    if (line === '') return;
    // The last line without its newline was cut by a crash: its JSON may even parse (a number cut short).
    if (i === lines.length - 1) {
      skipped++;
      return;
    }
    try {
      const parsed = journalRecordSchema.safeParse(JSON.parse(line));
      if (parsed.success) records.push(parsed.data);
      else skipped++;
    } catch {
      skipped++;
    }
  });
  return { records, skipped };
}

export function journalLine(record: JournalRecord): string {
  return `${JSON.stringify(record)}\n`;
}

/** Appends whole lines; with `durable`, waits until they are on the disk, not just in the OS cache. */
export async function appendJournal(file: string, text: string, durable: boolean): Promise<void> {
  const handle = await fs.open(file, 'a', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    if (durable) await handle.datasync();
  } finally {
    await handle.close();
  }
}

export async function resetJournal(file: string): Promise<void> {
  try {
    await fs.truncate(file, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
