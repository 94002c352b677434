import path from 'node:path';
import { keyFileEncryptor, SecretsStore, type Encryptor, type SecretName } from '../store/secrets';

/**
 * The channels' secrets: the SMTP password, and the webhook URL (Slack, Discord and ntfy URLs
 * carry their credential in the URL itself). Encrypted at rest like every other secret, in
 * `<home>/monitoring/secrets.json`; the faces only ever learn that one is set.
 */
export type ChannelSecretName = 'smtp.password' | 'webhook.url';

export interface ChannelSecrets {
  get(name: ChannelSecretName): string | undefined;
  set(name: ChannelSecretName, value: string | null): void;
  has(name: ChannelSecretName): boolean;
}

const OWNER = 'monitoring';

export function channelSecretsStore(home: string, encryptor?: Encryptor): ChannelSecrets {
  let store: SecretsStore | undefined;
  let enc = encryptor;
  // The key file is created only when a secret is first stored or read.
  const lazy: Encryptor = {
    get kind() {
      return enc?.kind ?? 'keyfile';
    },
    encrypt: (plain) => (enc ??= keyFileEncryptor(home)).encrypt(plain),
    decrypt: (sealed) => (enc ??= keyFileEncryptor(home)).decrypt(sealed),
  };
  const open = () => (store ??= new SecretsStore(path.join(home, 'monitoring'), lazy));
  // SECRET_NAMES lists the power capability's names; this file holds names of its own.
  const key = (name: ChannelSecretName) => name as string as SecretName;
  return {
    get: (name) => open().get(OWNER, key(name)),
    set: (name, value) => open().set(OWNER, key(name), value),
    has: (name) => open().has(OWNER, key(name)),
  };
}

export function memoryChannelSecrets(): ChannelSecrets {
  const map = new Map<ChannelSecretName, string>();
  return {
    get: (n) => map.get(n),
    set: (n, v) => (v === null || v === '' ? void map.delete(n) : void map.set(n, v)),
    has: (n) => map.has(n),
  };
}
