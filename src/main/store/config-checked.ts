import fs from 'node:fs';
import { SOURCE_ID } from '../base/version';
import { writeFileAtomic } from './atomic-file';

/**
 * `config.json.checked`: the hash of the last config.json text that this build's schema judged
 * and found to be exactly its own output (every server loaded, nothing filled in, nothing set
 * aside), so a process that opens the same bytes again takes them as they are instead of
 * judging them again. Judging builds the whole document's schema, about 1 300 zod schemas
 * (settings with every capability's part, servers, clusters): some 60 ms of CPU in every
 * standalone command and at every engine start, for a file that changes far less often than
 * commands run (issue 16). The mark names the schema that judged it (the build's fingerprint of
 * its sources, `SOURCE_ID`): any other build, or a run from source, judges again.
 *
 * The mark is only ever a shortcut: missing, damaged, stale or of another build, it costs one
 * judging, after which it is written again. It lives in the home beside the file it vouches for,
 * so whoever can write it could as well write config.json itself.
 */
export interface CheckedMark {
  /** sha256 (hex) of the file's text as judged. */
  sha256: string;
  /** The fingerprint of the schema that judged it. */
  schema: string;
}

export const checkedFileOf = (configFile: string): string => `${configFile}.checked`;

/** Whether `hash` is the text the mark vouches for, judged by `schema` (never, without a schema). */
export function isChecked(configFile: string, hash: string, schema: string | undefined = SOURCE_ID): boolean {
  if (schema === undefined) return false;
  let mark: unknown;
  try {
    mark = JSON.parse(fs.readFileSync(checkedFileOf(configFile), 'utf8')) as unknown;
  } catch {
    return false; // none yet, or damaged: judged again
  }
  const { sha256, schema: judgedBy } = (typeof mark === 'object' && mark !== null ? mark : {}) as Partial<Record<keyof CheckedMark, unknown>>;
  return sha256 === hash && judgedBy === schema;
}

/** Vouches for `hash` (a text just judged to be its own output). A mark that cannot be written costs one judging next time. */
export function markChecked(configFile: string, hash: string, schema: string | undefined = SOURCE_ID): void {
  if (schema === undefined) return;
  const mark: CheckedMark = { sha256: hash, schema };
  try {
    writeFileAtomic(checkedFileOf(configFile), `${JSON.stringify(mark)}\n`);
  } catch {
    // a read-only home, a full disk: the next open judges the file again, nothing else changes
  }
}
