import fs from 'node:fs';
import path from 'node:path';
import { readJsonFile, writeFileAtomic } from '../../store/atomic-file';
import { AlertBook } from '../alerts/book';
import type { AlertBookFile } from '../ports';

/**
 * `<home>/monitoring/alerts.json`: the active alerts and the recent resolved ones survive a
 * restart, so an acknowledged alert stays acknowledged and a throttle stays in force. A file
 * that cannot be read is set aside (never overwritten) and the book starts empty.
 */
export function alertsFile(home: string): string {
  return path.join(home, 'monitoring', 'alerts.json');
}

export function loadAlertBook(home: string, warn: (message: string) => void, now: number): AlertBook {
  const file = alertsFile(home);
  try {
    const raw = readJsonFile(file);
    return raw === undefined ? new AlertBook() : AlertBook.from(raw);
  } catch (error) {
    const aside = `${file}.unreadable-${new Date(now).toISOString().replace(/[:.]/g, '-')}`;
    try {
      fs.renameSync(file, aside);
    } catch {
      // Gone already: nothing to keep.
    }
    warn(`alerts.json could not be read (${error instanceof Error ? error.message : String(error)}); kept it as ${path.basename(aside)}`);
    return new AlertBook();
  }
}

export function saveAlertBook(home: string, book: AlertBook): void {
  writeFileAtomic(alertsFile(home), `${JSON.stringify(book.toJSON())}\n`);
}

/** The alert book's file under `home`, as the service's port. */
export function alertBookFile(home: string): AlertBookFile {
  return {
    load: (warn, now) => loadAlertBook(home, warn, now),
    save: (book) => saveAlertBook(home, book),
  };
}
