import fs from 'node:fs';
import path from 'node:path';
import Conf from 'conf';
import { configDocumentSchema, emptyDocument, migrate, type ConfigDocument } from './config-document';

export interface ConfigRecovery {
  /** Where the unreadable file was moved. */
  backupPath: string;
  reason: string;
}

export interface ConfigStore {
  readonly path: string;
  /** Set when the file on disk could not be read and was kept aside instead of overwritten. */
  readonly recovery: ConfigRecovery | undefined;
  read(): ConfigDocument;
  /** Validates, then writes atomically (temp file + rename, by conf/atomically). */
  write(doc: ConfigDocument): void;
}

/** What the Electron face passes to use electron-store (a Conf subclass) instead of Conf. */
export type ConfCtor = new (options: ConstructorParameters<typeof Conf<ConfigDocument>>[0]) => Conf<ConfigDocument>;

/**
 * Opens `<home>/config.json`. A file that is not JSON, fails migration or fails the schema is
 * renamed to `config.json.unreadable-<time>` and reported, never silently overwritten: what the
 * admin saved is never lost.
 */
export function openConfigStore(home: string, options: { Store?: ConfCtor; now?: () => number } = {}): ConfigStore {
  fs.mkdirSync(home, { recursive: true });
  const file = path.join(home, 'config.json');
  let recovery: ConfigRecovery | undefined;
  let doc = emptyDocument();
  let needsWrite = !fs.existsSync(file);

  if (!needsWrite) {
    try {
      const text = fs.readFileSync(file, 'utf8');
      const raw: unknown = JSON.parse(text);
      const migrated = migrate(raw);
      const parsed = configDocumentSchema.safeParse(migrated);
      if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join('.') || 'document'}: ${i.message}`).join('; '));
      doc = parsed.data;
      needsWrite = JSON.stringify(raw) !== JSON.stringify(doc);
    } catch (error) {
      const stamp = new Date(options.now?.() ?? Date.now()).toISOString().replace(/[:.]/g, '-');
      const backupPath = `${file}.unreadable-${stamp}`;
      fs.renameSync(file, backupPath);
      recovery = { backupPath, reason: error instanceof Error ? error.message : String(error) };
      needsWrite = true;
    }
  }

  const Store: ConfCtor = options.Store ?? (Conf as unknown as ConfCtor);
  const conf = new Store({
    cwd: home,
    configName: 'config',
    clearInvalidConfig: false,
    accessPropertiesByDotNotation: false,
    configFileMode: 0o600,
    projectName: 'rackdeck',
  });
  if (needsWrite) conf.store = doc;

  return {
    path: file,
    recovery,
    read: () => structuredClone(doc),
    write(next) {
      const parsed = configDocumentSchema.parse(next);
      conf.store = parsed;
      doc = structuredClone(parsed);
    },
  };
}
