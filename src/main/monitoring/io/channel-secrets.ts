import path from 'node:path';
import { lazyKeyFileEncryptor, SecretsStore, type Encryptor, type SecretName } from '../../store/secrets';
import type { ChannelSecretName, ChannelSecrets } from '../ports';

/**
 * The channels' secrets, encrypted at rest like every other secret, in
 * `<home>/monitoring/secrets.json`.
 */
const OWNER = 'monitoring';

export function channelSecretsStore(home: string, encryptor: Encryptor = lazyKeyFileEncryptor(home)): ChannelSecrets {
  let store: SecretsStore | undefined;
  const open = () => (store ??= new SecretsStore(path.join(home, 'monitoring'), encryptor));
  // SECRET_NAMES lists the power capability's names; this file holds names of its own.
  const key = (name: ChannelSecretName) => name as string as SecretName;
  return {
    get: (name) => open().get(OWNER, key(name)),
    set: (name, value) => open().set(OWNER, key(name), value),
    has: (name) => open().has(OWNER, key(name)),
  };
}

/** Secrets held in memory only (tests, or a face that must not touch the disk). */
export function memoryChannelSecrets(): ChannelSecrets {
  const map = new Map<ChannelSecretName, string>();
  return {
    get: (n) => map.get(n),
    set: (n, v) => (v === null || v === '' ? void map.delete(n) : void map.set(n, v)),
    has: (n) => map.has(n),
  };
}
