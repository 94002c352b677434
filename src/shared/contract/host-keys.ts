import * as z from 'zod';
import { request } from '../ipc';
import { lazySchema } from './lazy';

/**
 * Pinned SSH host keys, the OpenSSH way (issue 13): what a server offers compared with what is
 * pinned, and the admin's explicit "trust". Pins live in the home's known-hosts store, so
 * every face and process sees them.
 */

const id = lazySchema(() => z.string().min(1, 'a server id is required'));

/** `SHA256:` and 43 base64 characters, as `ssh-keygen -l` and ssh's prompts print it. */
export const sha256Fingerprint = lazySchema(() => z
  .string()
  .trim()
  .regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'a fingerprint like SHA256:… (43 characters after the colon), as ssh-keygen -l prints it'));

export interface HostKeyFacts {
  /** `ssh-ed25519`, `ecdsa-sha2-nistp256`… */
  keyType: string;
  /** OpenSSH's short name: ED25519, ECDSA, RSA. */
  typeLabel: string;
  fingerprint: string;
}

export interface HostKeyCheck {
  serverId: string;
  /** `[host]:port`, the key of the pin. */
  endpoint: string;
  /** The host as ssh names it in its messages (`host`, or `[host]:port` off port 22). */
  host: string;
  offered: HostKeyFacts;
  pinned?: HostKeyFacts & { addedAt: number };
  /** `pinned`: the offered key is the pinned one; `unknown`: nothing is pinned; `changed`: another key is pinned. */
  status: 'pinned' | 'unknown' | 'changed';
}

export interface HostKeyTrusted {
  serverId: string;
  endpoint: string;
  host: string;
  key: HostKeyFacts;
  /** True when this call pinned it (first use or a replaced key); false when it was already the pinned one. */
  added: boolean;
  /** The fingerprint of the key it replaced, if any. */
  replaced?: string;
}

export const hostKeysContract = {
  /** Reads the key the server offers now (the handshake only: nothing is authenticated) and compares it with the pin. */
  check: request<HostKeyCheck>()(() => z.object({ id }).strict()),
  /**
   * Pins the key the server offers now. With `fingerprint`, only if the offered key has exactly
   * that fingerprint (what the admin compared); with `firstUse`, only when nothing is pinned yet
   * or the same key is (OpenSSH's StrictHostKeyChecking=accept-new): a changed key is refused.
   */
  trust: request<HostKeyTrusted>()(() => z.object({ id, fingerprint: sha256Fingerprint.optional(), firstUse: z.boolean().optional() }).strict()),
};
