import { readFileSync } from 'node:fs';

/**
 * `rackdeck --help` as the build wrote it (scripts/build.mjs runs the built CLI's help once and
 * saves it beside the bundle): listing every command's summary otherwise loads every command's
 * module, and with them zod and the contract, which is most of the time `--help` took. Without
 * the file (run from source, or a build that could not write it) the caller asks the modules.
 */
export const HELP_FILE = 'cli-help.txt';

export function builtHelp(): string | undefined {
  try {
    return readFileSync(new URL(`./${HELP_FILE}`, import.meta.url), 'utf8').replace(/\n$/, '');
  } catch {
    return undefined;
  }
}
