import { loadSsh2 } from './load-ssh2';
import { endpointOf } from './model/endpoint';
import { classifySshError, SshError } from './model/errors';
import { fingerprintOf, keyTypeOf } from './fingerprint';
import type { OfferedHostKey } from './model/host-key';


/**
 * Reads the host key an SSH server offers, as `ssh-keyscan` does: the handshake is cut right
 * after the key is seen, so nothing is authenticated and no credential is sent.
 */
export async function scanHostKey(host: string, port: number, timeoutMs = 10_000): Promise<OfferedHostKey> {
  const endpoint = endpointOf(host, port);
  const { Client } = await loadSsh2();
  return new Promise<OfferedHostKey>((resolve, reject) => {
    const client = new Client();
    let offered: OfferedHostKey | undefined;
    let settled = false;
    const settle = (error?: unknown) => {
      if (settled) return;
      settled = true;
      client.end();
      if (offered) resolve(offered);
      else reject(error instanceof SshError ? error : classifySshError(error ?? new Error('closed before it offered a host key'), endpoint));
    };
    client.on('error', (error) => settle(error));
    client.on('close', () => settle(new SshError('closed', `SSH to ${endpoint} closed before it offered a host key`)));
    // A server that offers a key yet lets us in without one (none auth) must not leave a session open.
    client.on('ready', () => settle());
    try {
      client.connect({
        host,
        port,
        username: 'rackdeck-keyscan',
        readyTimeout: timeoutMs,
        hostVerifier: (blob: Buffer): boolean => {
          offered = { keyType: keyTypeOf(blob), key: blob.toString('base64'), fingerprint: fingerprintOf(blob) };
          // Refusing the key ends the handshake here, before any authentication.
          return false;
        },
      });
    } catch (error) {
      settle(error);
    }
  });
}
