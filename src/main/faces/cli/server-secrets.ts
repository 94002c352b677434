import type { RackdeckClient } from '../../../shared/contract';
import type { SecretField } from '../../../shared/contract/power';
import { RackdeckError } from '../../../shared/ipc';
import { UsageError } from './args';
import type { CliIo } from './command';
import { readStdin } from './stdin';

export interface PendingSecret {
  name: SecretField;
  value: string;
}

/**
 * Reads the secrets `add`/`edit` were told to take from stdin (one per line, in the order asked)
 * and has the contract's own schema judge each before anything is saved: a SecureOn password
 * of the wrong shape refuses the whole command, so nothing changes.
 */
export async function readSecrets(io: CliIo, names: readonly SecretField[]): Promise<PendingSecret[]> {
  if (names.length === 0) return [];
  const text = await readStdin(io, names.length > 1 ? 'Secrets, one per line' : 'Secret');
  const lines = names.length > 1 ? text.split(/\r?\n/) : [text];
  // Loaded here, not with `add`/`edit`'s module: the servers' commands are also `list`'s, which
  // through a running engine needs neither the contract nor the router (nor node:async_hooks).
  const [{ powerContract }, { describeZodError }] = await Promise.all([import('../../../shared/contract/power'), import('../../ipc/router')]);
  return names.map((name, i) => {
    const value = lines[i] ?? '';
    if (value === '') throw new UsageError(`no ${name} on stdin${names.length > 1 ? ` (line ${i + 1})` : ''}`);
    const parsed = powerContract.setSecret.input.safeParse({ id: 'pending', name, value });
    if (!parsed.success) throw new RackdeckError(describeZodError(parsed.error));
    return { name, value };
  });
}

export async function storeSecrets(client: RackdeckClient, id: string, secrets: readonly PendingSecret[]): Promise<void> {
  for (const s of secrets) await client.power.setSecret({ id, name: s.name, value: s.value });
}
