import ssh2 from 'ssh2';
import type { Client, ClientChannel } from 'ssh2';
import { assertLoopback } from '../addressing';
import { sshFingerprint } from '../keys/openssh-ed25519';

/**
 * A minimal ssh2 client for tests, demos and benchmarks against lab hosts. It always pins the
 * host key to the fingerprint the lab reported: tests must exercise host key checking, never
 * switch it off.
 */
export interface SshTarget {
  host: string;
  port: number;
  username: string;
  /** Expected `SHA256:…` fingerprint; the connection fails on any other key. */
  hostKeyFingerprint: string;
  privateKey?: string | Buffer;
  password?: string;
  readyTimeoutMs?: number;
}

export interface SshExecResult {
  stdout: string;
  stderr: string;
  code: number | null;
}

export class HostKeyMismatchError extends Error {
  constructor(readonly presented: string, readonly expected: string) {
    super(`host key mismatch: presented ${presented}, expected ${expected}`);
  }
}

export function sshConnect(target: SshTarget): Promise<Client> {
  assertLoopback(target.host);
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    let mismatch: HostKeyMismatchError | undefined;
    client.once('ready', () => resolve(client));
    client.once('error', (error) => {
      client.end();
      reject(mismatch ?? error);
    });
    client.connect({
      host: target.host,
      port: target.port,
      username: target.username,
      ...(target.privateKey !== undefined ? { privateKey: target.privateKey } : {}),
      ...(target.password !== undefined ? { password: target.password } : {}),
      readyTimeout: target.readyTimeoutMs ?? 5000,
      hostVerifier: (key: Buffer): boolean => {
        const presented = sshFingerprint(key);
        if (presented === target.hostKeyFingerprint) return true;
        mismatch = new HostKeyMismatchError(presented, target.hostKeyFingerprint);
        return false;
      },
    });
  });
}

export function execOn(client: Client, command: string, options: { pty?: boolean } = {}): Promise<SshExecResult> {
  return new Promise((resolve, reject) => {
    client.exec(command, options.pty ? { pty: true } : {}, (error, stream: ClientChannel) => {
      if (error) {
        reject(error);
        return;
      }
      let stdout = '';
      let stderr = '';
      let code: number | null = null;
      stream.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      stream.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      stream.on('exit', (status: number | null) => (code = status));
      stream.on('close', () => resolve({ stdout, stderr, code }));
    });
  });
}

/** Connect, run one command, disconnect. */
export async function sshExec(target: SshTarget, command: string): Promise<SshExecResult> {
  const client = await sshConnect(target);
  try {
    return await execOn(client, command);
  } finally {
    client.end();
  }
}
