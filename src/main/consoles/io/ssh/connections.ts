import type { Client, ConnectConfig } from 'ssh2';
import { loadSsh2 } from '../../../drivers/ssh/load-ssh2';
import { classifySshError, endpointOf, fingerprintOf, keyTypeOf, type HostKeyMismatch, type SshTarget } from '../../../drivers/ssh';
import type { KnownHost } from '../../../store/known-hosts';
import { ConsoleError } from '../../errors';
import { loginConfig } from '../../../drivers/ssh/login-config';

/** The pinned keys, read fresh for each connection so a key pinned a moment ago by init counts. */
export interface PinnedKeys {
  get(endpoint: string): KnownHost | undefined;
}

export interface SshLease {
  readonly client: Client;
  /** Called once if the connection drops while the lease is held. */
  onLost(listener: (why: string) => void): void;
  /** The channel is done; the connection closes with its last lease. */
  release(): void;
}

interface Conn {
  key: string;
  client: Client;
  ready: Promise<Client>;
  refs: number;
  closed: boolean;
  lost: Set<(why: string) => void>;
}

export interface ConnectionsOptions {
  pinnedKeys(): PinnedKeys;
  connectTimeoutMs?: number;
  /** SSH keep-alives: a dead link is noticed after about 3 × this. */
  keepaliveMs?: number;
  /** A changed key was refused: the engine shows it on the card, where it can be accepted. */
  onHostKeyMismatch?: (mismatch: HostKeyMismatch) => void;
}

/**
 * SSH connections for consoles: one per (user, host, port), shared by every tab open on it and
 * closed with the last. Unlike the power driver, nothing is trusted on first use here: a console
 * opens only to a host whose key is already pinned, and is refused with what to do otherwise.
 */
export class ConsoleSshConnections {
  private readonly conns = new Map<string, Conn>();

  constructor(private readonly options: ConnectionsOptions) {}

  size(): number {
    return this.conns.size;
  }

  async acquire(target: SshTarget, label: string): Promise<SshLease> {
    const key = `${target.auth.kind}:${target.user}@${endpointOf(target.host, target.port)}`;
    const { Client: SshClient } = await loadSsh2();
    let conn = this.conns.get(key);
    if (!conn || conn.closed) {
      conn = this.connect(key, target, label, SshClient);
      this.conns.set(key, conn);
    }
    conn.refs += 1;
    const held = conn;
    try {
      await held.ready;
    } catch (error) {
      held.refs -= 1;
      throw error;
    }
    let released = false;
    let lostListener: ((why: string) => void) | undefined;
    return {
      client: held.client,
      onLost(listener) {
        lostListener = listener;
        held.lost.add(listener);
      },
      release: () => {
        if (released) return;
        released = true;
        if (lostListener) held.lost.delete(lostListener);
        held.refs -= 1;
        if (held.refs <= 0) this.drop(held);
      },
    };
  }

  closeAll(): void {
    for (const conn of [...this.conns.values()]) this.drop(conn);
  }

  private drop(conn: Conn): void {
    conn.closed = true;
    if (this.conns.get(conn.key) === conn) this.conns.delete(conn.key);
    conn.client.end();
  }

  private connect(key: string, target: SshTarget, label: string, SshClient: typeof Client): Conn {
    const client = new SshClient();
    const endpoint = endpointOf(target.host, target.port);
    let refusal: ConsoleError | undefined;
    const conn: Conn = { key, client, ready: Promise.resolve(client), refs: 0, closed: false, lost: new Set() };
    const config: ConnectConfig = {
      host: target.host,
      port: target.port,
      username: target.user,
      readyTimeout: this.options.connectTimeoutMs ?? 10_000,
      keepaliveInterval: this.options.keepaliveMs ?? 15_000,
      keepaliveCountMax: 3,
      hostVerifier: (keyBlob: Buffer): boolean => {
        const presented = fingerprintOf(keyBlob);
        const pinned = this.options.pinnedKeys().get(endpoint);
        if (!pinned) {
          refusal = new ConsoleError(
            'conflict',
            `Rackdeck has no pinned SSH host key for ${label} (${endpoint}), so it will not open a console there`,
            `Check that ${presented} is the server's key, then pin it: \`rackdeck init ${label}\` (pins on first contact and prints it), \`rackdeck trust ${label} --fingerprint ${presented}\`, or --accept-new on ssh/exec`,
          );
          return false;
        }
        if (pinned.key !== keyBlob.toString('base64')) {
          this.options.onHostKeyMismatch?.({ endpoint, keyType: keyTypeOf(keyBlob), expected: pinned.fingerprint, presented, presentedKey: keyBlob.toString('base64') });
          refusal = new ConsoleError(
            'conflict',
            `The SSH host key of ${label} (${endpoint}) changed: ${pinned.fingerprint} is pinned, ${presented} was presented. Rackdeck refused to open a console`,
            `If the server was reinstalled, accept its new key (the server's details, or \`rackdeck trust ${label} --fingerprint ${presented}\`); otherwise someone may be intercepting the connection`,
          );
          return false;
        }
        return true;
      },
    };
    conn.ready = new Promise<Client>((resolve, reject) => {
      let settled = false;
      const fail = (error: unknown) => {
        if (settled) return;
        settled = true;
        conn.closed = true;
        if (this.conns.get(key) === conn) this.conns.delete(key);
        client.end();
        if (refusal) return reject(refusal);
        const e = classifySshError(error, endpoint);
        reject(new ConsoleError(e.kind === 'auth' ? 'unauthorized' : 'failed', e.message, e.hint));
      };
      client.once('ready', () => {
        settled = true;
        resolve(client);
      });
      client.on('error', (error) => {
        if (!settled) return fail(error);
        this.lose(conn, `the connection to ${label} failed: ${error.message}`);
      });
      client.on('close', () => {
        if (!settled) return fail(new Error(`SSH to ${endpoint} closed before login finished`));
        this.lose(conn, `the connection to ${label} was lost`);
      });
      try {
        client.connect({ ...config, ...loginConfig(target) });
      } catch (error) {
        fail(error);
      }
    });
    conn.ready.catch(() => {});
    return conn;
  }

  private lose(conn: Conn, why: string): void {
    conn.closed = true;
    if (this.conns.get(conn.key) === conn) this.conns.delete(conn.key);
    const listeners = [...conn.lost];
    conn.lost.clear();
    for (const l of listeners) l(why);
  }
}
