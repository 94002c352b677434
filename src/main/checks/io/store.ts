import path from 'node:path';
import { loadJson, writeJsonAtomic } from '../../store/atomic-file';
import { checksFileSchema, type ChecksFile, type ChecksStore } from '../book';

/**
 * `<home>/checks.json`: every server's check definitions. Written whole and atomically (0600);
 * a file that cannot be read is set aside as `checks.json.unreadable-<time>`, never overwritten,
 * and the checks start empty with a warning saying where it went.
 */
export function checksFileStore(home: string): ChecksStore {
  const file = path.join(home, 'checks.json');
  return {
    load(warn, now) {
      const r = loadJson(file, checksFileSchema, now);
      if (r.kind === 'ok') return r.value;
      if (r.kind === 'set-aside') warn(`checks.json could not be read (${r.recovery.reason}); kept it as ${path.basename(r.recovery.backupPath)}`);
      return { version: 1, servers: {} };
    },
    save(value: ChecksFile) {
      writeJsonAtomic(file, value);
    },
  };
}
