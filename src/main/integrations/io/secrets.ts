import path from 'node:path';
import type { IntegrationSecret } from '../../../shared/contract/integrations';
import { lazyKeyFileEncryptor, SecretsStore, type Encryptor, type SecretName } from '../../store/secrets';
import type { IntegrationSecrets } from '../ports';

/**
 * The integrations' secrets (scrape token, broker password, remote store credentials), sealed
 * with the home's key like every other secret, in `<home>/integrations/secrets.json`.
 */
const OWNER = 'integrations';

export function integrationSecretsStore(home: string, encryptor: Encryptor = lazyKeyFileEncryptor(home)): IntegrationSecrets {
  let store: SecretsStore | undefined;
  const open = () => (store ??= new SecretsStore(path.join(home, 'integrations'), encryptor));
  // SECRET_NAMES lists the power capability's names; this file holds names of its own.
  const key = (name: IntegrationSecret) => name as string as SecretName;
  return {
    get: (name) => open().get(OWNER, key(name)),
    set: (name, value) => open().set(OWNER, key(name), value),
    has: (name) => open().has(OWNER, key(name)),
  };
}

/** Held in memory only (tests). */
export function memoryIntegrationSecrets(): IntegrationSecrets {
  const map = new Map<IntegrationSecret, string>();
  return {
    get: (n) => map.get(n),
    set: (n, v) => (v === null || v === '' ? void map.delete(n) : void map.set(n, v)),
    has: (n) => map.has(n),
  };
}
