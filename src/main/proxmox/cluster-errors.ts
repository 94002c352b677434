import type { ClusterError } from '../../shared/contract/proxmox';
import { ProxmoxError } from '../drivers/proxmox/model/errors';

/** Pure: a refresh failure as the cluster view and the notice show it. */
export function describeError(error: unknown): ClusterError {
  if (error instanceof ProxmoxError) {
    return { kind: error.kind, message: error.message, ...(error.fingerprint ? { fingerprint: error.fingerprint } : {}), ...(error.expectedFingerprint ? { expectedFingerprint: error.expectedFingerprint } : {}) };
  }
  return { kind: 'server', message: error instanceof Error ? error.message : String(error) };
}

/** The notice title's words for an error kind. */
export function titleOf(kind: string): string {
  switch (kind) {
    case 'auth':
      return 'wrong credentials';
    case 'permission':
      return 'missing privilege';
    case 'unreachable':
    case 'timeout':
      return 'unreachable';
    case 'certificate_mismatch':
      return 'certificate changed';
    case 'certificate_untrusted':
      return 'certificate not trusted';
    default:
      return 'refresh failed';
  }
}

