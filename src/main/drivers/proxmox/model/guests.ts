import type { GuestAction, GuestType } from '../../../../shared/contract/proxmox';

/**
 * Pure: a guest's run state as Proxmox reports it, and the actions that state allows. The
 * driver refuses the others before any request; the capability shows only these buttons.
 */

export interface GuestRef {
  node: string;
  type: GuestType;
  vmid: number;
}

/** What `availableActions` needs to know of a guest; both the discovery view and status/current give it. */
export interface GuestState {
  type: GuestType;
  status: string;
  qmpstatus?: string | undefined;
  lock?: string | undefined;
  template?: boolean | undefined;
}

export type RunState = 'running' | 'paused' | 'hibernated' | 'stopped' | 'locked' | 'template' | 'unknown';

/**
 * Where a guest is in its life, from what Proxmox says: a paused VM reports status "running"
 * with qmpstatus "paused" (newer servers may put "paused" in status directly, containers
 * "frozen"); a hibernated VM is stopped with lock "suspended"; any other lock blocks actions.
 */
export function runState(g: GuestState): RunState {
  if (g.template) return 'template';
  const status = g.status.toLowerCase();
  const qmp = g.qmpstatus?.toLowerCase();
  if (g.lock === 'suspended' && status !== 'running') return 'hibernated';
  if (g.lock && g.lock !== 'suspended') return 'locked';
  if (status === 'paused' || status === 'frozen' || (status === 'running' && (qmp === 'paused' || qmp === 'suspended' || qmp === 'prelaunch'))) return 'paused';
  if (status === 'running') return 'running';
  if (status === 'stopped') return 'stopped';
  return 'unknown';
}

/**
 * The actions that exist for this guest in this state, in the order a menu lists them. Reset
 * and hibernate are QEMU only; resume is offered for a paused guest and for a hibernated VM
 * (where it is done by `start`); a locked guest, a template and a guest on an unreachable node
 * offer nothing.
 */
export function availableActions(g: GuestState): GuestAction[] {
  const qemu = g.type === 'qemu';
  switch (runState(g)) {
    case 'stopped':
      return ['start'];
    case 'hibernated':
      return ['resume'];
    case 'running':
      return qemu ? ['shutdown', 'reboot', 'pause', 'hibernate', 'stop', 'reset'] : ['shutdown', 'reboot', 'pause', 'stop'];
    case 'paused':
      return qemu ? ['resume', 'hibernate', 'stop'] : ['resume', 'stop'];
    default:
      return [];
  }
}

/** Why an action cannot run on the guest in its present state (undefined: it can), with what it offers instead. */
export function actionRefusal(guest: GuestState & { vmid: number }, action: GuestAction): { kind: 'not_running' | 'parameter'; message: string } | undefined {
  const allowed = availableActions(guest);
  if (allowed.includes(action)) return undefined;
  const state = runState(guest);
  return {
    kind: state === 'stopped' || state === 'hibernated' ? 'not_running' : 'parameter',
    message: `${action} is not available for ${guest.type === 'qemu' ? 'VM' : 'container'} ${guest.vmid} while it is ${state}${allowed.length ? ` (available: ${allowed.join(', ')})` : ''}`,
  };
}

export interface ActionOptions {
  /** shutdown: seconds to wait for the guest before the task fails (or stops it with forceStop). */
  timeout?: number;
  /** shutdown: stop the guest when the timeout passes instead of failing. */
  forceStop?: boolean;
}

/** The answer of status/current reduced to the fields availableActions reads. */
export function stateFromStatus(type: GuestType, s: { status?: string | undefined; qmpstatus?: string | undefined; lock?: string | undefined; template?: boolean | undefined }): GuestState {
  return { type, status: s.status ?? 'unknown', qmpstatus: s.qmpstatus, lock: s.lock, template: s.template };
}
