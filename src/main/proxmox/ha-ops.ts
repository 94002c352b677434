import type { GuestAction } from '../../shared/contract/proxmox';
import type { Clock } from '../base/clock';
import type { ProxmoxClient } from '../drivers/proxmox/client';
import { isProxmoxError, ProxmoxError } from '../drivers/proxmox/model/errors';
import { runState, type GuestRef, type GuestState } from '../drivers/proxmox/model/guests';
import { isHaManaged, pickHaTask, type HaRequest } from '../drivers/proxmox/model/ha';

/**
 * Pure: the HA state an action asks for when the guest is HA-managed, or undefined when the
 * action goes to the guest directly. Start (and the resume of a hibernated VM, which is a
 * start) asks for "started"; stop and shutdown ask for "stopped" (the HA manager shuts the
 * guest down). Pause, reboot and reset are not HA states: they go to the guest.
 */
export function haRequestFor(action: GuestAction, state: GuestState & { hastate?: string | undefined; haManaged?: boolean | undefined }): HaRequest | undefined {
  const managed = state.haManaged ?? isHaManaged(state.hastate);
  if (!managed) return undefined;
  if (action === 'start' || (action === 'resume' && runState(state) === 'hibernated')) return 'started';
  if (action === 'stop' || action === 'shutdown') return 'stopped';
  return undefined;
}

export interface HaActionContext {
  client: Pick<ProxmoxClient, 'requestHaState' | 'guestTasks' | 'action' | 'followTask'>;
  clock: Clock;
  /** How often the node's task list is read while waiting for the HA manager. */
  pollMs: number;
  /** How long the HA manager may take to start its task (its CRM acts every ~10 s). */
  waitMs: number;
  signal?: AbortSignal;
}

const sleep = (clock: Clock, ms: number) => new Promise<void>((resolve) => clock.setTimeout(resolve, ms));

/**
 * Starts or stops an HA-managed guest the way `ha-manager set SID --state …` does: the HA state
 * is requested (PUT /cluster/ha/resources/{sid}) and the resource manager's own task on the
 * guest's node (qmstart, qmshutdown…) is the one followed, so the end state is the HA
 * manager's. Without Sys.Console (the least-privilege token has none) the request is refused;
 * the guest's own status call is used then, which Proxmox hands to the HA manager as a
 * hastart/hastop task: that task is followed first, then the resource manager's.
 */
export async function haAction(ctx: HaActionContext, g: GuestRef & GuestState, action: GuestAction, want: HaRequest): Promise<{ upid: string; via: 'ha-resource' | 'ha-task' }> {
  const { client } = ctx;
  const before = new Set((await client.guestTasks(g)).map((t) => t.upid));
  let via: 'ha-resource' | 'ha-task' = 'ha-resource';
  try {
    await client.requestHaState(g, want);
  } catch (error) {
    if (!isProxmoxError(error, 'permission')) throw error;
    via = 'ha-task';
    const direct: GuestAction = want === 'started' ? (runState(g) === 'hibernated' ? 'resume' : 'start') : action === 'stop' ? 'stop' : 'shutdown';
    const hatask = await client.action(g, direct);
    const followed = await client.followTask(hatask, { clock: ctx.clock, intervalMs: ctx.pollMs, firstIntervalMs: Math.min(100, ctx.pollMs), ...(ctx.signal ? { signal: ctx.signal } : {}) });
    if (followed.task.outcome === 'error') throw new ProxmoxError('task_failed', `Task ${followed.task.type} failed: ${followed.task.exitstatus ?? 'unknown error'}`, { upid: hatask, exitstatus: followed.task.exitstatus ?? '' });
  }
  const deadline = ctx.clock.now() + ctx.waitMs;
  for (;;) {
    const found = pickHaTask(await client.guestTasks(g), g, want, before);
    if (found) return { upid: found.upid, via };
    if (ctx.signal?.aborted || ctx.clock.now() >= deadline) {
      throw new ProxmoxError(
        'timeout',
        `The HA manager took the request (state ${want}) but started no task on ${g.node} within ${Math.round(ctx.waitMs / 1000)} s; see Datacenter → HA in Proxmox for why`,
      );
    }
    await sleep(ctx.clock, ctx.pollMs);
  }
}
