import type { ConsoleKind, ParsedExecSpec } from '../../shared/contract/consoles';
import { execTitle } from '../../shared/contract/consoles';
import type { ServerConfig } from '../../shared/server';
import type { SshTarget } from '../drivers/ssh';
import type { ConsoleBackend, StatsReader, TerminalSize } from './backend';
import { ConsoleError } from './errors';
import { execCommandLine } from './exec-command';
import type { ProxmoxConsoles, ProxmoxConsoleTarget, SshConsoles } from './ports';
import type { ConsoleSource } from './source';

/** A Proxmox target with what must be let go once it is no longer needed (its HTTP client). */
export interface HeldProxmoxTarget {
  target: ProxmoxConsoleTarget;
  release(): void;
}

export interface DriversBackendDeps {
  /** By id or name; throws a not-found error. */
  server(ref: string): ServerConfig;
  /** The SSH target with its secret taken from the store at the moment of use. */
  sshTarget(server: ServerConfig): SshTarget;
  proxmoxTarget(server: ServerConfig): Promise<HeldProxmoxTarget>;
  /** SSH channels to pinned hosts; closed with this backend. */
  ssh: SshConsoles;
  /** Proxmox termproxy and VNC websockets, and the API's stats. */
  proxmox: ProxmoxConsoles;
}

/**
 * The real backend: picks how each server is reached (SSH shells and commands, Proxmox
 * termproxy and VNC websockets, stats from /proc or the Proxmox API) and holds a Proxmox login
 * only as long as opening needs it. The wire work is the ports' (consoles/io/).
 */
export class DriversBackend implements ConsoleBackend {
  constructor(private readonly deps: DriversBackendDeps) {}

  server(ref: string): ServerConfig {
    return this.deps.server(ref);
  }

  async openConsole(server: ServerConfig, kind: ConsoleKind, size: TerminalSize): Promise<ConsoleSource> {
    switch (kind) {
      case 'ssh-shell':
        return this.deps.ssh.openShell(this.deps.sshTarget(server), server.name, size);
      case 'proxmox-term': {
        const { target, release } = await this.deps.proxmoxTarget(server);
        try {
          // Awaited here, so the login is released only once the socket is open (or failed).
          return await this.deps.proxmox.openTerm(target, { size, what: `The shell of ${server.name}` });
        } finally {
          release();
        }
      }
      case 'vnc': {
        const { target, release } = await this.deps.proxmoxTarget(server);
        try {
          return await this.deps.proxmox.openVnc(target, `The screen of ${server.name}`);
        } finally {
          release();
        }
      }
    }
  }

  async openExec(server: ServerConfig, spec: ParsedExecSpec): Promise<ConsoleSource> {
    // Checked before anything connects: a refused name never costs a login.
    const command = execCommandLine(spec);
    return this.deps.ssh.openExec(this.deps.sshTarget(server), server.name, command, capitalise(execTitle(spec)));
  }

  statsReader(server: ServerConfig): StatsReader {
    // A guest is read from its hypervisor (it answers for a stopped guest too); a host over SSH.
    const guest = server.proxmox?.vmid !== undefined;
    if (server.ssh && !guest) return this.deps.ssh.statsReader(() => this.deps.sshTarget(server), server.name);
    if (!server.proxmox) throw new ConsoleError('bad_request', `${server.name} has no SSH and is not a Proxmox node or guest`);
    let held: Promise<HeldProxmoxTarget> | undefined;
    return this.deps.proxmox.statsReader(
      async () => {
        held ??= this.deps.proxmoxTarget(server);
        try {
          return (await held).target;
        } catch (error) {
          held = undefined;
          throw error;
        }
      },
      () => void held?.then((h) => h.release()).catch(() => undefined),
    );
  }

  close(): void {
    this.deps.ssh.closeAll();
  }
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
