import type { ProxmoxTask, TaskInfo, TaskLogLine } from '../../shared/contract/proxmox';

/**
 * The tasks Rackdeck started (and any the admin looked at): their progress, their log, and
 * the state confirmed from the guest afterwards. Bounded: the oldest finished ones go first.
 */
export type TrackedTask = ProxmoxTask;

export class TaskRegistry {
  private readonly tasks = new Map<string, TrackedTask>();

  constructor(private readonly limit = 200) {}

  start(task: Omit<TrackedTask, 'status' | 'outcome' | 'log'>): TrackedTask {
    const t: TrackedTask = { ...task, status: 'running', outcome: 'running', log: [] };
    this.tasks.set(t.upid, t);
    this.prune();
    return t;
  }

  get(upid: string): TrackedTask | undefined {
    return this.tasks.get(upid);
  }

  update(upid: string, info: TaskInfo, newLines: readonly TaskLogLine[], now: number): TrackedTask | undefined {
    const t = this.tasks.get(upid);
    if (!t) return undefined;
    const last = t.log[t.log.length - 1]?.n ?? 0;
    const next: TrackedTask = {
      ...t,
      status: info.status,
      outcome: info.outcome,
      ...(info.exitstatus !== undefined ? { exitstatus: info.exitstatus } : {}),
      ...(info.status === 'stopped' && t.endedAt === undefined ? { endedAt: now } : {}),
      log: [...t.log, ...newLines.filter((l) => l.n > last)],
    };
    this.tasks.set(upid, next);
    return next;
  }

  patch(upid: string, patch: Partial<TrackedTask>): TrackedTask | undefined {
    const t = this.tasks.get(upid);
    if (!t) return undefined;
    const next = { ...t, ...patch };
    this.tasks.set(upid, next);
    return next;
  }

  /** The latest task on a server, for its card. */
  latestFor(serverId: string): TrackedTask | undefined {
    let best: TrackedTask | undefined;
    for (const t of this.tasks.values()) if (t.serverId === serverId && (!best || t.startedAt >= best.startedAt)) best = t;
    return best;
  }

  /** A task still running on the server: its own, or a bulk task that includes it. */
  running(serverId: string): TrackedTask | undefined {
    for (const t of this.tasks.values()) if ((t.serverId === serverId || t.serverIds?.includes(serverId)) && t.status === 'running' && !t.error) return t;
    return undefined;
  }

  list(): TrackedTask[] {
    return [...this.tasks.values()].sort((a, b) => a.startedAt - b.startedAt);
  }

  private prune(): void {
    if (this.tasks.size <= this.limit) return;
    for (const t of this.list()) {
      if (this.tasks.size <= this.limit) break;
      if (t.status === 'stopped' || t.error) this.tasks.delete(t.upid);
    }
  }
}
