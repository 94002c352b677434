import fs from 'node:fs';
import path from 'node:path';
import { lazyKeyFileEncryptor, SecretsStore, type Encryptor } from '../../store/secrets';
import type { ClusterSecrets } from '../port';

const entryOf = (cluster: string) => `cluster:${cluster}`;

/**
 * Where a cluster's token secret or password lives: the encrypted secrets store
 * (`<home>/secrets.json`, same encryptor and key as the rest), as `proxmox.secret` of the entry
 * `cluster:<name>`. Secrets an earlier version kept in `<home>/proxmox/secrets.json` are moved
 * in when the store is opened, so nothing saved before is lost.
 */
export function clusterSecretsStore(home: string, encryptor: Encryptor = lazyKeyFileEncryptor(home)): ClusterSecrets {
  let store: SecretsStore | undefined;
  const open = (): SecretsStore => {
    if (store) return store;
    const opened = new SecretsStore(home, encryptor);
    const legacy = legacyClusterSecretsFile(home);
    opened.absorb(legacy);
    try {
      fs.rmdirSync(path.dirname(legacy)); // only when nothing else is in it
    } catch {
      // absent, or not empty: left alone
    }
    return (store = opened);
  };
  const field = (which?: 'console') => (which === 'console' ? 'proxmox.consoleSecret' : 'proxmox.secret');
  return {
    get: (cluster, which) => open().get(entryOf(cluster), field(which)),
    set: (cluster, value, which) => open().set(entryOf(cluster), field(which), value),
  };
}

/** The separate file cluster secrets were kept in before they joined the main store. */
export function legacyClusterSecretsFile(home: string): string {
  return path.join(home, 'proxmox', 'secrets.json');
}

/** In memory, for tests. */
export function memorySecrets(): ClusterSecrets & { dump(): Record<string, string> } {
  const map = new Map<string, string>();
  const key = (c: string, which?: 'console') => (which === 'console' ? `${c}#console` : c);
  return {
    get: (c, which) => map.get(key(c, which)),
    set: (c, v, which) => {
      if (v === null || v === '') map.delete(key(c, which));
      else map.set(key(c, which), v);
    },
    dump: () => Object.fromEntries(map),
  };
}
