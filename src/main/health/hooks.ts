import type { MetricSample } from '../../shared/metrics';

/**
 * Seams between the health capability (agents, watchdog, installer) and capabilities other
 * engineers own: Proxmox guest control, SSH, metrics history. Each is optional: until its owner
 * (the composition root, src/main/root/health.ts) wires it, the health code answers with a clear "not connected" error
 * instead of guessing.
 */

/** What Proxmox says of a guest right now, plus what Rackdeck knows of deliberate actions on it. */
export interface GuestPower {
  /** Proxmox's `status` of the guest; `unknown` when the cluster could not be asked. */
  status: 'running' | 'stopped' | 'paused' | 'suspended' | 'unknown';
  /** The state the admin or a policy wants the guest in, if the power capability keeps one. */
  desired?: string;
  /** When Rackdeck last sent a deliberate power action (shutdown, stop, reboot…) to this guest. */
  lastActionAt?: number;
  /** A Proxmox lock (backup, migrate, snapshot…): the guest is busy on purpose, never reset it. */
  lock?: string;
}

export interface ResetOutcome {
  ok: boolean;
  /** The task's final exit status as Proxmox reports it (`OK`, an error text), or why no task ran. */
  taskStatus: string;
  upid?: string;
}

/** Drives a Proxmox guest; the Proxmox capability provides it. */
export interface GuestControl {
  /** `undefined` when the server is not a Proxmox guest Rackdeck can drive. */
  power(serverId: string): Promise<GuestPower | undefined>;
  /** Sends `status/reset` and follows the task to its end. */
  reset(serverId: string, reason: string): Promise<ResetOutcome>;
  /** The guest's VM id and node, written into the agent's config so reports name their guest. */
  identify?(serverId: string): { vmid: number; node: string } | undefined;
}

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A shell on a remote host; the SSH capability provides it (see remote-shell.ts for an adapter over exec alone). */
export interface RemoteShell {
  /** Runs `command` (built only from validated values). */
  exec(command: string, options?: { timeoutMs?: number }): Promise<ExecResult>;
  /** Writes `content` to `remotePath` with `mode`, over SFTP or equivalent. */
  upload(content: string | Buffer, remotePath: string, mode: number): Promise<void>;
  close?(): void | Promise<void>;
}

export interface HealthSeams {
  guests?: GuestControl;
  shellFor?: (serverId: string) => Promise<RemoteShell>;
  /** The metrics history: agent figures become samples beside the SSH and Proxmox ones. */
  recordAgentSample?: (serverId: string, sample: MetricSample) => void;
}

/** A part that starts and stops with the engine's loops (the agent receiver and watchdog). */
export interface EnginePart {
  start(): void;
  stop(): void;
}
