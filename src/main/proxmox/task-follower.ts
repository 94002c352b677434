import type { ProxmoxGuestInfo } from '../../shared/contract/proxmox';
import type { ProxmoxClient } from '../drivers/proxmox/client';
import { isProxmoxError } from '../drivers/proxmox/model/errors';
import { withRunState, type FrozenContainers } from './frozen';
import type { ProxmoxEnginePort } from './port';
import { guestPower } from './power-map';
import type { GuestCandidate } from './resolve';
import type { TaskRegistry, TrackedTask } from './tasks-registry';

export interface FollowContext {
  engine: ProxmoxEnginePort;
  client: ProxmoxClient;
  tasks: TaskRegistry;
  frozen: FrozenContainers;
  emit(task: TrackedTask): void;
  /** Keeps the last discovery's copy of the guest in step with what was read back. */
  remember(guest: ProxmoxGuestInfo): void;
  /** A refresh of the cluster, after a delete. */
  refresh(): void;
  pollMs: number;
  timeoutMs: number;
}

/**
 * Follows a guest's task to its end (progress and log streamed to the registry), then reads
 * the guest's state back, never assuming it from the task: that state is what the card shows
 * and what the task records as "confirmed". A failed task or a lost one is told as a notice.
 */
export async function followGuestTask(ctx: FollowContext, task: TrackedTask, g: GuestCandidate): Promise<TrackedTask> {
  const { engine, client, tasks } = ctx;
  let current = task;
  try {
    const followed = await client.followTask(task.upid, {
      clock: engine.clock,
      intervalMs: ctx.pollMs,
      timeoutMs: ctx.timeoutMs,
      onProgress: (info, lines) => {
        const next = tasks.update(task.upid, info, lines, engine.clock.now());
        if (next) ctx.emit(next);
      },
    });
    current = tasks.update(task.upid, followed.task, [], engine.clock.now()) ?? current;
  } catch (error) {
    current = tasks.patch(task.upid, { error: error instanceof Error ? error.message : String(error) }) ?? current;
  }
  if (current.outcome !== 'error' && !current.error) ctx.frozen.afterTask(g, current.action);
  try {
    const fresh = await client.guestStatus(g);
    const updated = ctx.frozen.apply(withRunState(g, fresh));
    ctx.remember(updated);
    const reading = guestPower(updated);
    current = tasks.patch(task.upid, { confirmed: { power: reading.power, status: fresh.status, ...(fresh.qmpstatus ? { qmpstatus: fresh.qmpstatus } : {}) } }) ?? current;
    // Whatever the task did (or failed to do), the card shows what the guest now is.
    engine.reportPower(g.serverId, reading);
  } catch (error) {
    if (current.action !== 'delete' || !isProxmoxError(error, 'not_found')) {
      engine.reportPower(g.serverId, { power: 'unknown', up: false, detail: `could not read its state after ${current.action}: ${error instanceof Error ? error.message : String(error)}` });
    }
  }
  if (current.outcome === 'error') {
    engine.notify({ level: 'error', title: `${g.name}: ${current.action} failed`, body: current.exitstatus ?? 'the task failed', serverId: g.serverId });
  } else if (current.error) {
    engine.notify({ level: 'warning', title: `${g.name}: lost track of ${current.action}`, body: current.error, serverId: g.serverId });
  }
  ctx.emit(current);
  engine.touch(g.serverId);
  if (current.action === 'delete' && current.outcome !== 'error') ctx.refresh();
  return current;
}
