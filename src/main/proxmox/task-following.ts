import type { ProxmoxGuestInfo, TaskInfo, TaskLogLine } from '../../shared/contract/proxmox';
import type { ProxmoxClient } from '../drivers/proxmox/client';
import { isProxmoxError, ProxmoxError } from '../drivers/proxmox/model/errors';
import type { ClusterBook, ClusterRuntime } from './cluster-book';
import { withRunState, type FrozenContainers } from './frozen';
import type { ProxmoxEnginePort } from './port';
import { guestPower } from './power-map';
import type { GuestCandidate } from './resolve';
import type { TaskRegistry, TrackedTask } from './tasks-registry';

export interface TaskFollowingDeps {
  engine: ProxmoxEnginePort;
  book: ClusterBook;
  tasks: TaskRegistry;
  frozen: FrozenContainers;
  /** One discovery refresh of a cluster (after a guest was deleted). */
  refresh(rt: ClusterRuntime): Promise<unknown>;
  taskPollMs?: number;
  taskTimeoutMs?: number;
}

/**
 * The tasks in flight: each task Rackdeck starts on a guest is followed to its end in the
 * background (progress and log into the registry, the guest's state read back after), and
 * any task of a configured cluster can be read once with its log.
 */
export class TaskFollowing {
  private readonly following = new Map<string, Promise<TrackedTask>>();
  private readonly listeners = new Set<(task: TrackedTask) => void>();

  constructor(private readonly deps: TaskFollowingDeps) {}

  onTask(listener: (task: TrackedTask) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Registers a task just started on a guest and follows it in the background. */
  track(rt: ClusterRuntime, upid: string, action: string, g: GuestCandidate): TrackedTask {
    const { engine, tasks } = this.deps;
    const type = /^UPID:[^:]+:[^:]+:[^:]+:[^:]+:([^:]+):/.exec(upid)?.[1] ?? action;
    const task = tasks.start({ upid, cluster: rt.config.name, node: g.node, serverId: g.serverId, action, type, startedAt: engine.clock.now() });
    this.emit(task);
    engine.touch(g.serverId);
    const done = this.follow(rt, task, g);
    this.following.set(upid, done);
    void done.finally(() => this.following.delete(upid));
    return task;
  }

  /**
   * Registers a bulk task (PVE 9: one task for many guests) and follows it in the background;
   * at its end the cluster is refreshed once, which reads every guest's state back (not one
   * request per guest), and a failure is told.
   */
  trackBulk(rt: ClusterRuntime, upid: string, action: string, guests: readonly GuestCandidate[]): TrackedTask {
    const { engine, tasks } = this.deps;
    const node = /^UPID:([^:]+):/.exec(upid)?.[1] ?? guests[0]?.node ?? '';
    const type = /^UPID:[^:]+:[^:]+:[^:]+:[^:]+:([^:]+):/.exec(upid)?.[1] ?? `bulk-${action}`;
    const serverIds = guests.map((g) => g.serverId);
    const task = tasks.start({ upid, cluster: rt.config.name, node, serverIds, action, type, startedAt: engine.clock.now() });
    this.emit(task);
    const done = (async (): Promise<TrackedTask> => {
      let current = task;
      try {
        const followed = await this.deps.book.clientOf(rt).followTask(upid, {
          clock: engine.clock,
          intervalMs: this.deps.taskPollMs ?? 1000,
          timeoutMs: this.deps.taskTimeoutMs ?? 15 * 60_000,
          onProgress: (info, lines) => {
            const next = tasks.update(upid, info, lines, engine.clock.now());
            if (next) this.emit(next);
          },
        });
        current = tasks.update(upid, followed.task, [], engine.clock.now()) ?? current;
      } catch (error) {
        current = tasks.patch(upid, { error: error instanceof Error ? error.message : String(error) }) ?? current;
      }
      // One refresh reads every guest back; the task no longer holds them, so it reports over them.
      await this.deps.refresh(rt);
      if (current.outcome === 'error') engine.notify({ level: 'error', title: `Proxmox ${rt.config.name}: bulk ${action} failed`, body: current.exitstatus ?? 'the task failed' });
      else if (current.error) engine.notify({ level: 'warning', title: `Proxmox ${rt.config.name}: lost track of bulk ${action}`, body: current.error });
      this.emit(current);
      for (const id of serverIds) engine.touch(id);
      return current;
    })();
    this.following.set(upid, done);
    void done.finally(() => this.following.delete(upid));
    return task;
  }

  /** A task Rackdeck follows, or any task of a configured cluster read once (with its log). */
  async task(upid: string, cluster?: string): Promise<TrackedTask> {
    const known = this.deps.tasks.get(upid);
    if (known) return known;
    const { book } = this.deps;
    const node = /^UPID:([^:]+):/.exec(upid)?.[1];
    const rt = cluster ? book.get(cluster) : node ? book.ofNode(node) : undefined;
    if (!rt) throw new ProxmoxError('not_found', `No cluster knows task ${upid}`);
    const client = book.clientOf(rt);
    const info = await client.taskStatus(upid);
    const log = await client.taskLog(upid);
    return { upid, cluster: rt.config.name, node: info.node, action: info.type, type: info.type, status: info.status, outcome: info.outcome, ...(info.exitstatus ? { exitstatus: info.exitstatus } : {}), startedAt: info.starttime * 1000, ...(info.endtime ? { endedAt: info.endtime * 1000 } : {}), log: log.lines };
  }

  /** A node's recent tasks, as its cluster lists them. */
  async nodeTasks(node: string, cluster?: string, limit = 50, source?: 'archive' | 'active' | 'all'): Promise<TaskInfo[]> {
    const { book } = this.deps;
    return book.clientOf(cluster ? book.get(cluster) : book.ofNode(node)).nodeTasks(node, { limit, ...(source ? { source } : {}) });
  }

  async taskLog(upid: string, start = 0, cluster?: string): Promise<TaskLogLine[]> {
    const t = await this.task(upid, cluster);
    return t.log.filter((l) => l.n > start);
  }

  /** Resolves when a followed task has ended and the guest's state has been read back. */
  async waitTask(upid: string): Promise<TrackedTask> {
    const p = this.following.get(upid);
    if (p) return p;
    return this.task(upid);
  }

  private follow(rt: ClusterRuntime, task: TrackedTask, g: GuestCandidate): Promise<TrackedTask> {
    return followGuestTask(
      {
        engine: this.deps.engine,
        client: this.deps.book.clientOf(rt),
        tasks: this.deps.tasks,
        frozen: this.deps.frozen,
        emit: (t) => this.emit(t),
        remember: (guest) => rememberGuest(rt, guest),
        refresh: () => void this.deps.refresh(rt),
        pollMs: this.deps.taskPollMs ?? 1000,
        timeoutMs: this.deps.taskTimeoutMs ?? 15 * 60_000,
      },
      task,
      g,
    );
  }

  private emit(task: TrackedTask): void {
    for (const l of this.listeners) l(task);
  }
}

/** Keeps the last discovery's copy of a guest in step with what was just read back. */
function rememberGuest(rt: ClusterRuntime, g: ProxmoxGuestInfo): void {
  const res = rt.last?.resources;
  if (!res) return;
  const at = res.guests.findIndex((x) => x.id === g.id);
  if (at >= 0) res.guests[at] = withRunState(res.guests[at] as ProxmoxGuestInfo, g);
  if (rt.last) delete rt.last.byId;
}

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
