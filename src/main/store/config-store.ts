import fs from 'node:fs';
import path from 'node:path';
import Conf from 'conf';
import { loadJson, type Recovery } from './atomic-file';
import { configDocumentSchema, emptyDocument, migrate, type ConfigDocument } from './config-document';

export interface ConfigStore {
  readonly path: string;
  /** Set when the file on disk could not be read and was kept aside instead of overwritten. */
  readonly recovery: Recovery | undefined;
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
  const loaded = loadJson(file, (raw) => ({ raw, doc: configDocumentSchema.parse(migrate(raw)) }), options.now?.());
  let doc = loaded.kind === 'ok' ? loaded.value.doc : emptyDocument();
  const recovery = loaded.kind === 'set-aside' ? loaded.recovery : undefined;
  // Written back at once when it was missing, set aside, migrated or filled with defaults.
  const needsWrite = loaded.kind !== 'ok' || JSON.stringify(loaded.value.raw) !== JSON.stringify(doc);

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
