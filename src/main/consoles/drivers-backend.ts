import type { ConsoleKind, ParsedExecSpec } from '../../shared/contract/consoles';
import { execTitle } from '../../shared/contract/consoles';
import type { ServerConfig } from '../../shared/server';
import type { Clock } from '../base/clock';
import type { SshTarget } from '../drivers/ssh';
import type { ConsoleBackend, StatsReader, TerminalSize } from './backend';
import { ConsoleError } from './errors';
import { execCommandLine } from './exec-command';
import { openConsoleSocket, requestConsole, type ProxmoxConsoleTarget } from './proxmox/access';
import { TermproxySource } from './proxmox/termproxy-source';
import { VncRelaySource } from './proxmox/vnc-source';
import type { ConsoleSource } from './source';
import { openExecChannel, openShellChannel, SshChannelSource } from './ssh/channel-source';
import { ConsoleSshConnections, type PinnedKeys, type SshLease } from './ssh/connections';
import { ProxmoxStatsReader, SshStatsReader } from './stats/readers';

/** A Proxmox target with what must be let go once it is no longer needed (its HTTP client). */
export interface HeldProxmoxTarget {
  target: ProxmoxConsoleTarget;
  release(): void;
}

export interface DriversBackendDeps {
  clock: Clock;
  /** By id or name; throws a not-found error. */
  server(ref: string): ServerConfig;
  /** The SSH target with its secret taken from the store at the moment of use. */
  sshTarget(server: ServerConfig): SshTarget;
  pinnedKeys(): PinnedKeys;
  proxmoxTarget(server: ServerConfig): Promise<HeldProxmoxTarget>;
  connectTimeoutMs?: number;
  termKeepaliveMs?: number;
}

/**
 * The real backend: SSH channels (ssh2, pinned host keys only), Proxmox termproxy and VNC
 * websockets (ticket session, pinned certificate), and stats from /proc or the Proxmox API.
 */
export class DriversBackend implements ConsoleBackend {
  readonly connections: ConsoleSshConnections;

  constructor(private readonly deps: DriversBackendDeps) {
    this.connections = new ConsoleSshConnections({ pinnedKeys: deps.pinnedKeys, ...(deps.connectTimeoutMs ? { connectTimeoutMs: deps.connectTimeoutMs } : {}) });
  }

  server(ref: string): ServerConfig {
    return this.deps.server(ref);
  }

  async openConsole(server: ServerConfig, kind: ConsoleKind, size: TerminalSize): Promise<ConsoleSource> {
    switch (kind) {
      case 'ssh-shell': {
        const lease = await this.connections.acquire(this.deps.sshTarget(server), server.name);
        const channel = await withLease(lease, () => openShellChannel(lease, size));
        return new SshChannelSource(channel, lease, { what: 'The shell', terminal: true });
      }
      case 'proxmox-term': {
        const { target, release } = await this.deps.proxmoxTarget(server);
        try {
          const grant = await requestConsole(target, 'term');
          const ws = await openConsoleSocket(target, grant);
          return new TermproxySource(ws, grant, { clock: this.deps.clock, size, what: `The shell of ${server.name}`, ...(this.deps.termKeepaliveMs ? { keepaliveMs: this.deps.termKeepaliveMs } : {}) });
        } finally {
          release();
        }
      }
      case 'vnc': {
        const { target, release } = await this.deps.proxmoxTarget(server);
        try {
          const grant = await requestConsole(target, 'vnc');
          const ws = await openConsoleSocket(target, grant);
          // With websocket=1, Proxmox's VNC server takes the vncticket as its password.
          return new VncRelaySource(ws, grant.password ?? grant.ticket, `The screen of ${server.name}`);
        } finally {
          release();
        }
      }
    }
  }

  async openExec(server: ServerConfig, spec: ParsedExecSpec): Promise<ConsoleSource> {
    const command = execCommandLine(spec);
    const lease = await this.connections.acquire(this.deps.sshTarget(server), server.name);
    const channel = await withLease(lease, () => openExecChannel(lease, command));
    return new SshChannelSource(channel, lease, { what: capitalise(execTitle(spec)), terminal: false });
  }

  statsReader(server: ServerConfig): StatsReader {
    // A guest is read from its hypervisor (it answers for a stopped guest too); a host over SSH.
    const guest = server.proxmox?.vmid !== undefined;
    if (server.ssh && !guest) return new SshStatsReader(this.connections, () => this.deps.sshTarget(server), server.name, this.deps.clock);
    if (!server.proxmox) throw new ConsoleError('bad_request', `${server.name} has no SSH and is not a Proxmox node or guest`);
    let held: Promise<HeldProxmoxTarget> | undefined;
    return new ProxmoxStatsReader(
      async () => {
        held ??= this.deps.proxmoxTarget(server);
        try {
          return (await held).target;
        } catch (error) {
          held = undefined;
          throw error;
        }
      },
      this.deps.clock,
      () => void held?.then((h) => h.release()).catch(() => undefined),
    );
  }

  close(): void {
    this.connections.closeAll();
  }
}

async function withLease<T>(lease: SshLease, open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (error) {
    lease.release();
    throw new ConsoleError('failed', `The server refused the channel: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
