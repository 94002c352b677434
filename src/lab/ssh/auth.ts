import { createHash, timingSafeEqual } from 'node:crypto';
import type { AuthContext, ParsedKey } from 'ssh2';

/**
 * Server-side authentication for a lab host: the host's user, by the lab's client key (or any
 * extra authorized key) or by the host's password. Signatures are verified, so a client that
 * only holds the public key cannot log in.
 */
export interface AuthPolicy {
  user: string;
  password: string;
  authorizedKeys: readonly ParsedKey[];
  /** Fault: turn every attempt down. */
  refuseAll: boolean;
}

const METHODS: ('publickey' | 'password')[] = ['publickey', 'password'];

function sameSecret(a: string, b: string): boolean {
  // Hash first so the comparison is constant-time whatever the lengths.
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

export function authenticate(ctx: AuthContext, policy: AuthPolicy): void {
  if (policy.refuseAll || ctx.username !== policy.user) {
    ctx.reject(METHODS);
    return;
  }
  if (ctx.method === 'password') {
    if (sameSecret(ctx.password, policy.password)) ctx.accept();
    else ctx.reject(METHODS);
    return;
  }
  if (ctx.method === 'publickey') {
    const key = policy.authorizedKeys.find((k) => k.type === ctx.key.algo && k.getPublicSSH().equals(ctx.key.data));
    if (!key) {
      ctx.reject(METHODS);
      return;
    }
    // Without a signature the client is only asking whether the key would do.
    if (ctx.signature === undefined || ctx.blob === undefined) {
      ctx.accept();
      return;
    }
    if (key.verify(ctx.blob, ctx.signature, ctx.hashAlgo)) ctx.accept();
    else ctx.reject(METHODS);
    return;
  }
  ctx.reject(METHODS);
}
