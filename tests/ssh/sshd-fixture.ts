import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A real OpenSSH sshd on a free 127.0.0.1 port, with throwaway host and client keys in a temp
 * directory, for driver tests. Nothing leaves loopback. It can be restarted with a new host
 * key, to play a reinstalled (or impersonated) server.
 */
export const SSHD = '/usr/sbin/sshd';
export const sshdAvailable = fs.existsSync(SSHD);

export interface ClientKey {
  path: string;
  passphrase?: string;
  publicKey: string;
}

export interface SshdFixture {
  dir: string;
  port: number;
  user: string;
  /** A key in authorized_keys, no passphrase. */
  key: ClientKey;
  /** A key in authorized_keys, protected by a passphrase. */
  protectedKey: ClientKey;
  /** A key that is NOT authorized. */
  strangerKey: ClientKey;
  /** `SHA256:…` of the host key sshd presents now, as ssh-keygen prints it. */
  hostFingerprint(): string;
  /** Stops sshd and starts it again on the same port with a fresh host key. */
  rotateHostKey(): Promise<void>;
  stop(): Promise<void>;
}

function keygen(file: string, passphrase = ''): ClientKey {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-C', 'rackdeck-test', '-f', file]);
  return { path: file, publicKey: fs.readFileSync(`${file}.pub`, 'utf8').trim(), ...(passphrase ? { passphrase } : {}) };
}

function fingerprint(pubFile: string): string {
  // "256 SHA256:abc… comment (ED25519)"
  return execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', pubFile], { encoding: 'utf8' }).split(' ')[1] as string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once sshd sends its banner; rejects if it exits first. */
async function waitForBanner(port: number, proc: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`sshd exited with ${proc.exitCode}: ${log()}`);
    const banner = await new Promise<string | undefined>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.setTimeout(1_000);
      socket.once('data', (d) => {
        socket.destroy();
        resolve(d.toString());
      });
      socket.once('error', () => resolve(undefined));
      socket.once('timeout', () => {
        socket.destroy();
        resolve(undefined);
      });
    });
    if (banner?.startsWith('SSH-2.0-')) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`sshd did not answer on 127.0.0.1:${port}: ${log()}`);
}

export async function startSshd(): Promise<SshdFixture> {
  if (!sshdAvailable) throw new Error(`${SSHD} is not installed`);
  // sshd's privilege separation directory.
  fs.mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-sshd-'));
  const user = os.userInfo().username;
  const key = keygen(path.join(dir, 'client'));
  const protectedKey = keygen(path.join(dir, 'client-protected'), 'correct horse battery');
  const strangerKey = keygen(path.join(dir, 'stranger'));
  fs.writeFileSync(path.join(dir, 'authorized_keys'), `${key.publicKey}\n${protectedKey.publicKey}\n`, { mode: 0o600 });
  const port = await freePort();
  let generation = 0;
  let hostKeyFile = '';
  let proc: ChildProcess | undefined;
  let output = '';

  const start = async () => {
    generation += 1;
    hostKeyFile = path.join(dir, `host_ed25519_${generation}`);
    keygen(hostKeyFile);
    const config = path.join(dir, 'sshd_config');
    fs.writeFileSync(
      config,
      [
        `Port ${port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${hostKeyFile}`,
        `PidFile ${path.join(dir, 'sshd.pid')}`,
        `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
        'StrictModes no',
        'UsePAM no',
        'PermitRootLogin prohibit-password',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        `AllowUsers ${user}`,
        'LogLevel ERROR',
        '',
      ].join('\n'),
    );
    output = '';
    proc = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    proc.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    await waitForBanner(port, proc, () => output);
  };

  const stopProc = async () => {
    const p = proc;
    proc = undefined;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      p.once('exit', () => resolve());
      p.kill('SIGTERM');
    });
  };

  await start();
  return {
    dir,
    port,
    user,
    key,
    protectedKey,
    strangerKey,
    hostFingerprint: () => fingerprint(`${hostKeyFile}.pub`),
    async rotateHostKey() {
      await stopProc();
      await start();
    },
    async stop() {
      await stopProc();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Starts an ssh-agent holding `key`; returns its socket and a stop function that ends only that agent. */
export function startAgent(dir: string, key: ClientKey): { socket: string; stop(): void } | undefined {
  try {
    const socket = path.join(dir, 'agent.sock');
    const out = execFileSync('ssh-agent', ['-s', '-a', socket], { encoding: 'utf8' });
    const pid = Number(/SSH_AGENT_PID=(\d+)/.exec(out)?.[1]);
    execFileSync('ssh-add', ['-q', key.path], { env: { ...process.env, SSH_AUTH_SOCK: socket }, stdio: 'ignore' });
    return {
      socket,
      stop: () => {
        if (pid > 0) {
          try {
            process.kill(pid, 'SIGTERM');
          } catch {
            // already gone
          }
        }
      },
    };
  } catch {
    return undefined;
  }
}
