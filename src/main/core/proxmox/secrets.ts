import path from 'node:path';
import { keyFileEncryptor, SecretsStore, type Encryptor, type SecretName } from '../../store/secrets';
import type { ClusterSecrets } from './service';

/**
 * Where a cluster's token secret or password lives: the encrypted secrets store (same
 * encryptor, same key as the rest), in its own file `<home>/proxmox/secrets.json` so that it
 * never races the power controller's instance over `<home>/secrets.json`.
 */
// SECRET_NAMES lists the power capability's names only; this file holds one name of its own.
const CLUSTER_SECRET = 'proxmox.secret' as string as SecretName;

export function clusterSecretsStore(home: string, encryptor?: Encryptor): ClusterSecrets {
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
  const open = () => (store ??= new SecretsStore(path.join(home, 'proxmox'), lazy));
  return {
    get: (cluster) => open().get(`cluster:${cluster}`, CLUSTER_SECRET),
    set: (cluster, value) => open().set(`cluster:${cluster}`, CLUSTER_SECRET, value),
  };
}

/** In memory, for tests. */
export function memorySecrets(): ClusterSecrets & { dump(): Record<string, string> } {
  const map = new Map<string, string>();
  return {
    get: (c) => map.get(c),
    set: (c, v) => {
      if (v === null || v === '') map.delete(c);
      else map.set(c, v);
    },
    dump: () => Object.fromEntries(map),
  };
}
