/**
 * SSH failures sorted by what the admin can do about them; `hint` is the "what to try" line
 * the card and the CLI print under the message.
 */
export type SshErrorKind = 'host_key' | 'auth' | 'key' | 'connect' | 'timeout' | 'closed' | 'config';

export class SshError extends Error {
  constructor(
    readonly kind: SshErrorKind,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'SshError';
  }
}

export interface HostKeyMismatch {
  endpoint: string;
  keyType: string;
  /** Fingerprint of the pinned key. */
  expected: string;
  /** Fingerprint of the key the server presented. */
  presented: string;
  /** The presented key blob (base64), so "Accept" pins exactly the key that was shown. */
  presentedKey: string;
}

export class HostKeyMismatchError extends SshError {
  constructor(readonly mismatch: HostKeyMismatch) {
    super(
      'host_key',
      `The host key of ${mismatch.endpoint} changed: expected ${mismatch.expected}, got ${mismatch.presented}. Rackdeck refused to connect.`,
      'If the server was reinstalled or its keys regenerated, accept the new key; otherwise someone may be intercepting the connection.',
    );
    this.name = 'HostKeyMismatchError';
  }
}

/** Sorts an ssh2 or socket error into a kind with a hint. */
export function classifySshError(error: unknown, endpoint: string): SshError {
  if (error instanceof SshError) return error;
  const e = error as (Error & { code?: string; level?: string }) | undefined;
  const message = e?.message ?? String(error);
  if (e?.level === 'client-authentication' || /authentication methods failed/i.test(message)) {
    return new SshError('auth', `SSH login to ${endpoint} was refused`, 'Check the user name and that the key is in ~/.ssh/authorized_keys on the server (or the password is right).');
  }
  if (/privateKey|passphrase|Encrypted private/i.test(message)) {
    return new SshError('key', `The SSH key could not be used: ${message}`, 'Check the key file path and its passphrase.');
  }
  if (e?.level === 'client-timeout' || /Timed out while waiting for handshake/i.test(message)) {
    return new SshError('timeout', `SSH to ${endpoint} timed out during the handshake`, 'Is the server up and is SSH listening on that port?');
  }
  if (e?.code === 'ECONNREFUSED') return new SshError('connect', `SSH to ${endpoint}: connection refused`, 'Is sshd running, and is the port right?');
  if (e?.code === 'EHOSTUNREACH' || e?.code === 'ENETUNREACH' || e?.code === 'ETIMEDOUT') {
    return new SshError('connect', `SSH to ${endpoint}: host unreachable`, 'The server may be off or asleep.');
  }
  if (e?.code === 'ENOTFOUND' || e?.code === 'EAI_AGAIN') return new SshError('connect', `SSH to ${endpoint}: the name does not resolve`, 'Check the address.');
  return new SshError('connect', `SSH to ${endpoint} failed: ${message}`);
}
