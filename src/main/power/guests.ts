import { isTransitional, type PowerState, type SettledState } from '../../shared/power';
import type { PowerAction, PowerCapabilities, ServerConfig } from '../../shared/server';

/**
 * Proxmox guests under the power controller, pure: which servers Proxmox drives, what they can
 * do, what each generic action must end in, and what a task's end means for the transition.
 * The I/O (the API, the task, the read-back) is the Proxmox service's; the controller only
 * holds the transitional state and concludes it from what Proxmox confirmed.
 */

/** What the controller needs of the Proxmox capability (ProxmoxService fits it as it is). */
export interface GuestPowerDriver {
  /**
   * Maps the action on the guest's present state (wake → resume or start, suspend → pause,
   * hibernate → suspend to disk…), wakes the guest's node (and its host) first when it must,
   * and starts the task. Rejects with the reason when the action does not exist in that state.
   */
  runPowerAction(serverId: string, action: PowerAction): Promise<GuestTask>;
  /** Resolves once the task ended and the guest's state was read back from Proxmox. */
  waitTask(upid: string): Promise<GuestTask>;
}

/** The part of a followed Proxmox task the controller reads. */
export interface GuestTask {
  upid: string;
  /** The Proxmox action (start, resume, pause, hibernate, shutdown, reboot). */
  action: string;
  type: string;
  status: string;
  outcome: string;
  exitstatus?: string;
  /** Following the task failed (lost, timed out): its end is not known. */
  error?: string;
  /** The guest's state read back after the task: the only thing the card may show as its result. */
  confirmed?: { power: PowerState };
}

/** A reading of a guest's power from Proxmox (discovery or the read-back after a task). */
export interface GuestReading {
  power: SettledState;
  up: boolean;
  detail?: string;
}

/** A VM or container bound to a Proxmox guest: its power goes through the Proxmox API, never WoL or SSH. */
export function isProxmoxGuest(server: Pick<ServerConfig, 'kind' | 'proxmox'>): boolean {
  return (server.kind === 'vm' || server.kind === 'lxc') && server.proxmox?.vmid !== undefined && server.proxmox.type !== undefined;
}

/** Everything through the API; suspend to disk exists for QEMU only. */
export function guestCapabilities(server: Pick<ServerConfig, 'kind' | 'proxmox'>): PowerCapabilities {
  const qemu = (server.proxmox?.type ?? (server.kind === 'vm' ? 'qemu' : 'lxc')) === 'qemu';
  return { wake: true, suspend: true, hibernate: qemu, shutdown: true, reboot: true };
}

/** The state Proxmox reports once each generic action succeeded (a paused VM or frozen container is `paused`). */
export const GUEST_TARGET: Record<PowerAction, SettledState> = {
  wake: 'on',
  reboot: 'on',
  suspend: 'paused',
  hibernate: 'suspended',
  shutdown: 'stopped',
};

export type GuestConclusion =
  | { outcome: 'reached'; power: PowerState }
  | { outcome: 'failed'; power: PowerState; message: string; hint?: string; /** The task's own failure was already told by the Proxmox capability. */ told: boolean };

/**
 * The end of a guest command: the target when Proxmox confirmed it, a failure otherwise, and
 * the state shown is always what was read back (the transition's start only when nothing could
 * be read).
 */
export function concludeGuest(action: PowerAction, task: GuestTask, fallback: GuestReading | undefined, from: PowerState): GuestConclusion {
  const power = task.confirmed?.power ?? fallback?.power ?? (isTransitional(from) ? 'unknown' : from);
  // The goal counts, not the task: a failed start of a guest that runs anyway leaves it on (the task's failure is told apart).
  if (power === GUEST_TARGET[action]) return { outcome: 'reached', power };
  if (task.outcome === 'error') {
    return { outcome: 'failed', power, told: true, message: `the Proxmox task ${task.type} failed: ${task.exitstatus ?? 'no reason given'}`, hint: 'Open the task log in the guest panel for the details.' };
  }
  if (task.error) return { outcome: 'failed', power, told: true, message: `lost track of the Proxmox task ${task.type}: ${task.error}` };
  const what = task.confirmed ? `Proxmox reports it ${power}` : `its state could not be read back${fallback?.detail ? ` (${fallback.detail})` : ''}`;
  return { outcome: 'failed', power, told: false, message: `the ${task.action} task ended but ${what}` };
}
