import type { ProxmoxApi } from '../drivers/proxmox/api';
import type { SshTarget } from '../drivers/ssh';
import type { StatsReader, TerminalSize } from './backend';
import type { ConsoleSource } from './source';

/** Where a Proxmox console goes: the cluster's API (with its login) and trust, and the node or guest. */
export interface ProxmoxConsoleTarget {
  api: ProxmoxApi;
  /** The cluster's pinned certificate fingerprint (or extra CA): the websocket is held to the same trust as the API. */
  tls: { fingerprint?: string | undefined; ca?: string | undefined };
  node: string;
  guest?: { type: 'qemu' | 'lxc'; vmid: number };
  /** The cluster's name, for messages. */
  cluster: string;
}

/**
 * Consoles over SSH (the adapter is io/ssh/ssh-consoles.ts): pooled connections to hosts whose
 * key is already pinned, a channel per session. Every failure is a ConsoleError that says what to do.
 */
export interface SshConsoles {
  /** A shell with a pty of `size`. `label` names the server in messages. */
  openShell(target: SshTarget, label: string, size: TerminalSize): Promise<ConsoleSource>;
  /** `command` (already checked and quoted) without a pty; `what` names it in the closing words. */
  openExec(target: SshTarget, label: string, command: string, what: string): Promise<ConsoleSource>;
  /** Live stats from /proc; the target is asked for at each connection, so a new secret counts. */
  statsReader(target: () => SshTarget, label: string): StatsReader;
  /** Drops every connection (the engine stops). */
  closeAll(): void;
}

/** Consoles over Proxmox's vncwebsocket (the adapter is io/proxmox/proxmox-consoles.ts), and its stats. */
export interface ProxmoxConsoles {
  /** A node shell or container console over termproxy; `what` names it in the closing words. */
  openTerm(target: ProxmoxConsoleTarget, options: { size: TerminalSize; what: string }): Promise<ConsoleSource>;
  /** A QEMU screen, its VNC handshake done in main. */
  openVnc(target: ProxmoxConsoleTarget, what: string): Promise<ConsoleSource>;
  /** A guest's or node's stats from the API; `release` is called when the view closes. */
  statsReader(target: () => Promise<ProxmoxConsoleTarget>, release: () => void): StatsReader;
}
