import { RackdeckError } from '../../../../shared/ipc';
import type { DiscoveryReport } from '../../../../shared/contract/proxmox';
import { UsageError } from '../args';
import type { CliIo } from '../command';

/** What the Proxmox commands share: errors told with the fingerprint to pin, and a refresh's report line. */

function describeError(error: unknown): string {
  if (error instanceof RackdeckError) {
    const fp = error.fields?.fingerprint;
    if (fp) {
      const expected = error.fields?.expectedFingerprint;
      return `${error.message}\n  presented fingerprint: ${fp}${expected ? `\n  pinned fingerprint:    ${expected}` : ''}\n  to trust it: --fingerprint ${fp}`;
    }
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Runs `fn`, printing a clear error (with a presented fingerprint, when there is one). */
export async function guarded(io: CliIo, fn: () => Promise<number>): Promise<number> {
  try {
    return await fn();
  } catch (error) {
    // Refused input (exit 2, field by field) is told by the CLI's entry the same way for every command.
    if (error instanceof UsageError || (error instanceof RackdeckError && error.code === 'bad_request' && Object.keys(error.fields ?? {}).length > 0)) throw error;
    io.err(describeError(error));
    return error instanceof RackdeckError && error.code === 'not_found' ? 4 : 1;
  }
}

export function reportLine(r: DiscoveryReport): string {
  if (!r.ok) return `${r.cluster}: refresh failed: ${r.error?.message ?? 'unknown error'}`;
  return `${r.cluster}: ${r.nodes} node(s), ${r.guests} guest(s), ${r.storage} storage pool(s) in ${r.requests} API request(s)${r.changes.length ? `; ${r.changes.length} change(s)` : ''}`;
}
