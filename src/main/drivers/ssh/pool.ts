import type { Client, ConnectConfig } from 'ssh2';
import { loadSsh2 } from './load-ssh2';
import { systemClock, type Clock, type TimerHandle } from '../../base/clock';
import type { KnownHost, KnownHostsStore } from '../../store/known-hosts';
import { endpointOf } from './model/endpoint';
import { classifySshError, HostKeyMismatchError, SshError, type HostKeyMismatch } from './model/errors';
import { loginConfig } from './login-config';
import { fingerprintOf, keyTypeOf } from './fingerprint';
import type { ExecOptions, ExecResult, SshExec, SshTarget } from './model/target';

export interface SshPoolOptions {
  knownHosts: KnownHostsStore;
  clock?: Clock;
  /** A connection unused this long is closed. */
  idleMs?: number;
  connectTimeoutMs?: number;
  /** Default per-command timeout. */
  commandTimeoutMs?: number;
  /** Cap on captured output per stream; output is parsed, never trusted, and never unbounded. */
  maxOutputBytes?: number;
  /** Called when a pinned key is refused, so the engine can show it on the card. */
  onHostKeyMismatch?: (mismatch: HostKeyMismatch) => void;
  /** Called when a key is pinned on first contact, so the engine can say so as ssh does ("Permanently added …"). */
  onPinned?: (endpoint: string, pinned: KnownHost) => void;
}

interface Conn {
  client: Client;
  ready: Promise<Client>;
  inflight: number;
  idle?: TimerHandle;
  closed: boolean;
}

/**
 * One SSH connection per (user, host, port), reused across commands and closed after it has
 * been idle a while. Host keys are pinned on first use; a different key is refused before
 * authentication, reported with both fingerprints, and only `acceptHostKey` changes the pin.
 */
export class SshPool implements SshExec {
  private readonly conns = new Map<string, Conn>();
  private readonly clock: Clock;
  private readonly idleMs: number;
  private readonly connectTimeoutMs: number;
  private readonly commandTimeoutMs: number;
  private readonly maxOutput: number;

  constructor(private readonly options: SshPoolOptions) {
    this.clock = options.clock ?? systemClock;
    this.idleMs = options.idleMs ?? 60_000;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    this.commandTimeoutMs = options.commandTimeoutMs ?? 30_000;
    this.maxOutput = options.maxOutputBytes ?? 1 << 20;
  }

  /** Open connections, for tests and diagnostics. */
  size(): number {
    return this.conns.size;
  }

  async exec(target: SshTarget, command: string, options: ExecOptions = {}): Promise<ExecResult> {
    const key = connKey(target);
    const { Client: SshClient } = await loadSsh2();
    const conn = this.acquire(key, target, SshClient);
    conn.inflight += 1;
    if (conn.idle !== undefined) this.clock.clearTimeout(conn.idle);
    conn.idle = undefined;
    try {
      const client = await conn.ready;
      return await this.run(client, command, options.timeoutMs ?? this.commandTimeoutMs, endpointOf(target.host, target.port), options.stdin);
    } finally {
      conn.inflight -= 1;
      if (conn.inflight === 0 && !conn.closed) {
        conn.idle = this.clock.setTimeout(() => this.drop(key, conn), this.idleMs);
      }
    }
  }

  /** Pins exactly the key that was presented (the one the admin saw), replacing the old pin. */
  acceptHostKey(mismatch: HostKeyMismatch): void {
    const blob = Buffer.from(mismatch.presentedKey, 'base64');
    this.options.knownHosts.pin(
      mismatch.endpoint,
      { keyType: keyTypeOf(blob), key: mismatch.presentedKey, fingerprint: fingerprintOf(blob), addedAt: this.clock.now() },
      { replace: true },
    );
  }

  /** Closes the connections to one host (after its config changed) or to all. */
  close(target?: Pick<SshTarget, 'host' | 'port'>): void {
    for (const [key, conn] of this.conns) {
      if (!target || key.endsWith(`@${endpointOf(target.host, target.port)}`)) this.drop(key, conn);
    }
  }

  private drop(key: string, conn: Conn): void {
    if (conn.idle !== undefined) this.clock.clearTimeout(conn.idle);
    conn.idle = undefined;
    conn.closed = true;
    if (this.conns.get(key) === conn) this.conns.delete(key);
    conn.client.end();
  }

  private acquire(key: string, target: SshTarget, SshClient: typeof Client): Conn {
    const existing = this.conns.get(key);
    if (existing && !existing.closed) return existing;
    const client = new SshClient();
    const conn: Conn = { client, inflight: 0, closed: false, ready: Promise.resolve(client) };
    conn.ready = this.connect(client, target).catch((error: unknown) => {
      this.drop(key, conn);
      throw error;
    });
    // Keep an unhandled rejection from surfacing when nobody awaits a failed connect.
    conn.ready.catch(() => {});
    client.on('close', () => {
      conn.closed = true;
      if (this.conns.get(key) === conn) this.conns.delete(key);
    });
    this.conns.set(key, conn);
    return conn;
  }

  private connect(client: Client, target: SshTarget): Promise<Client> {
    const endpoint = endpointOf(target.host, target.port);
    let mismatch: HostKeyMismatch | undefined;
    const config: ConnectConfig = {
      host: target.host,
      port: target.port,
      username: target.user,
      readyTimeout: this.connectTimeoutMs,
      keepaliveInterval: 5_000,
      keepaliveCountMax: 3,
      hostVerifier: (key: Buffer): boolean => {
        const presented = key.toString('base64');
        const pinned = this.options.knownHosts.get(endpoint);
        if (!pinned) {
          const entry: KnownHost = { keyType: keyTypeOf(key), key: presented, fingerprint: fingerprintOf(key), addedAt: this.clock.now() };
          this.options.knownHosts.pin(endpoint, entry);
          this.options.onPinned?.(endpoint, entry);
          return true;
        }
        if (pinned.key === presented) return true;
        mismatch = { endpoint, keyType: keyTypeOf(key), expected: pinned.fingerprint, presented: fingerprintOf(key), presentedKey: presented };
        return false;
      },
    };
    try {
      Object.assign(config, loginConfig(target));
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<Client>((resolve, reject) => {
      let settled = false;
      client.once('ready', () => {
        settled = true;
        resolve(client);
      });
      client.on('error', (error) => {
        if (settled) return;
        settled = true;
        if (mismatch) {
          this.options.onHostKeyMismatch?.(mismatch);
          reject(new HostKeyMismatchError(mismatch));
        } else reject(classifySshError(error, endpoint));
      });
      client.once('close', () => {
        if (settled) return;
        settled = true;
        reject(mismatch ? new HostKeyMismatchError(mismatch) : new SshError('closed', `SSH to ${endpoint} closed before login finished`));
      });
      try {
        client.connect(config);
      } catch (error) {
        settled = true;
        reject(classifySshError(error, endpoint));
      }
    });
  }

  private run(client: Client, command: string, timeoutMs: number, endpoint: string, stdin?: string | Buffer): Promise<ExecResult> {
    return new Promise<ExecResult>((resolve, reject) => {
      let done = false;
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let outBytes = 0;
      let errBytes = 0;
      let code: number | null = null;
      let signal: string | undefined;
      const finish = () => {
        if (done) return;
        done = true;
        this.clock.clearTimeout(timer);
        client.off('close', finish);
        resolve({ code, ...(signal ? { signal } : {}), stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
      };
      const timer = this.clock.setTimeout(() => {
        if (done) return;
        done = true;
        client.off('close', finish);
        channel?.close();
        reject(new SshError('timeout', `"${brief(command)}" on ${endpoint} did not finish within ${timeoutMs} ms`));
      }, timeoutMs);
      // A host going to sleep drops the connection mid-command: that ends the command too.
      client.once('close', finish);
      let channel: { close(): void } | undefined;
      client.exec(command, (error, stream) => {
        if (error) {
          if (done) return;
          done = true;
          this.clock.clearTimeout(timer);
          client.off('close', finish);
          reject(classifySshError(error, endpoint));
          return;
        }
        channel = stream;
        // A channel that fails mid-command ends it through 'close'; its 'error' must be heard, not end the process.
        stream.on('error', () => undefined);
        stream.stderr.on('error', () => undefined);
        if (done) stream.close();
        // Without input, close stdin at once so commands that read it do not wait forever.
        stream.end(stdin ?? '');
        stream.on('data', (chunk: Buffer) => {
          if (outBytes < this.maxOutput) out.push(chunk.subarray(0, this.maxOutput - outBytes));
          outBytes += chunk.length;
        });
        stream.stderr.on('data', (chunk: Buffer) => {
          if (errBytes < this.maxOutput) err.push(chunk.subarray(0, this.maxOutput - errBytes));
          errBytes += chunk.length;
        });
        stream.on('exit', (c: number | null, s?: string) => {
          code = typeof c === 'number' ? c : null;
          if (s) signal = s;
        });
        stream.on('close', finish);
      });
    });
  }
}

function connKey(t: SshTarget): string {
  return `${t.auth.kind}:${t.user}@${endpointOf(t.host, t.port)}`;
}


function brief(command: string): string {
  return command.length > 60 ? `${command.slice(0, 57)}…` : command;
}
