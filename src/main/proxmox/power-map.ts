import type { ProxmoxGuestInfo, ProxmoxNodeInfo } from '../../shared/contract/proxmox';
import type { PowerState, SettledState } from '../../shared/power';
import { runState } from '../drivers/proxmox/model/guests';

/**
 * Pure: what Proxmox reports → Rackdeck's power states. A paused VM (running + qmpstatus
 * paused) is `paused`; a hibernated one (stopped, lock "suspended") is `suspended`; a guest
 * whose node is offline, or whose state the cluster does not know, is `unknown`.
 */
export interface PowerReading {
  power: SettledState;
  /** Whether the thing runs (for the power state machine's up/down view). */
  up: boolean;
  detail?: string;
}

export function nodePower(node: Pick<ProxmoxNodeInfo, 'status' | 'name'> | undefined): PowerReading {
  if (!node) return { power: 'unknown', up: false, detail: 'not in the cluster any more' };
  if (node.status === 'online') return { power: 'on', up: true };
  if (node.status === 'offline') return { power: 'off', up: false, detail: 'the cluster reports the node offline' };
  return { power: 'unknown', up: false, detail: 'the cluster does not know the node state' };
}

export function guestPower(guest: Pick<ProxmoxGuestInfo, 'type' | 'status' | 'qmpstatus' | 'lock' | 'template' | 'node'>, node?: Pick<ProxmoxNodeInfo, 'status'>): PowerReading {
  if (node && node.status !== 'online') return { power: 'unknown', up: false, detail: `its node ${guest.node} is ${node.status}` };
  const state = runState(guest);
  switch (state) {
    case 'running':
      return { power: 'on', up: true };
    case 'paused':
      return { power: 'paused', up: false, detail: 'paused' };
    case 'hibernated':
      return { power: 'suspended', up: false, detail: 'hibernated (suspended to disk)' };
    case 'stopped':
      return { power: 'stopped', up: false };
    case 'template':
      return { power: 'stopped', up: false, detail: 'template' };
    case 'locked': {
      const running = guest.status.toLowerCase() === 'running';
      return { power: running ? 'on' : 'stopped', up: running, detail: `locked (${guest.lock})` };
    }
    default:
      return { power: 'unknown', up: false, detail: `Proxmox reports "${guest.status}"` };
  }
}

/** The runtime fields a reading moves (a subset of the engine's RuntimeState). */
export interface ReadingRuntime {
  power: PowerState;
  since: number;
  lastSeen?: number;
  detail?: string;
}

/**
 * Pure: the runtime after a Proxmox reading, when no power command's state machine holds the
 * server. A node the cluster reports offline stays `suspended` when Rackdeck put it to sleep
 * (offline cannot tell sleep from off, exactly as a silent TCP probe cannot).
 */
export function applyReading<R extends ReadingRuntime>(prev: R, reading: PowerReading, now: number): R {
  const power: PowerState = reading.power === 'off' && prev.power === 'suspended' ? 'suspended' : reading.power;
  const next = { ...prev, power, since: power === prev.power ? prev.since : now } as R;
  if (reading.up) next.lastSeen = now;
  if (reading.detail) next.detail = reading.detail;
  else delete next.detail;
  return next;
}
