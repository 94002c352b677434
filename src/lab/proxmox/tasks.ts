/**
 * Worker tasks: every action answers a UPID at once and runs for a while; its status and log
 * are read back through /nodes/{node}/tasks/{upid}/{status,log}. Effects on guests are applied
 * when a task finishes, so a client polling the task sees the same order a real node shows.
 */
import type { LabClock } from './clock';
import { encodeUpid } from './upid';

export interface TaskRecord {
  upid: string;
  node: string;
  pid: number;
  pstart: number;
  starttime: number;
  type: string;
  /** The guest id, or "" for node tasks. */
  id: string;
  user: string;
  status: 'running' | 'stopped';
  /** "OK", "WARNINGS: n", or the error text (one line). */
  exitstatus?: string;
  endtime?: number;
  log: string[];
}

export interface TaskSpec {
  node: string;
  type: string;
  id: string;
  user: string;
  /** How long it runs before finish() is called. Ignored for held tasks. */
  durationMs: number;
  /** Lines logged as it starts. */
  log?: readonly string[];
  /** Applies the effect; returns more log lines, throws to fail the task. */
  finish?: () => readonly string[] | void;
  /** A failure chosen up front (fault injection, guest rules): finish() is skipped. */
  failWith?: string;
  /** Console tasks stay running until end() is called. */
  held?: boolean;
}

/** Messages a failing task of each type ends with on a real node. */
const FAILURE_TEXT: Readonly<Record<string, (id: string) => string>> = {
  qmstart: () => 'start failed: QEMU exited with code 1',
  qmstop: (id) => `VM ${id} qmp command 'quit' failed - got timeout`,
  qmshutdown: () => 'VM quit/powerdown failed - got timeout',
  qmreboot: () => 'VM quit/powerdown failed - got timeout',
  qmreset: (id) => `VM ${id} qmp command 'system_reset' failed - got timeout`,
  qmpause: (id) => `VM ${id} qmp command 'stop' failed - got timeout`,
  qmsuspend: (id) => `VM ${id} qmp command 'savevm-start' failed - unable to save VM state`,
  qmresume: (id) => `VM ${id} qmp command 'cont' failed - got timeout`,
  vzstart: (id) => `startup for container '${id}' failed`,
  vzshutdown: (id) => `command 'lxc-stop -n ${id} --nokill --timeout 60' failed: exit code 1`,
  vzstop: (id) => `command 'lxc-stop -n ${id} --kill' failed: exit code 1`,
  vzreboot: (id) => `command 'lxc-stop -n ${id} --nokill --timeout 60' failed: exit code 1`,
};

export function failureText(type: string, id: string): string {
  return FAILURE_TEXT[type]?.(id) ?? `command '${type} ${id}' failed: exit code 1`;
}

/** A long demo must not grow without bound: old finished tasks are forgotten, like rotated logs. */
const MAX_TASKS = 5000;

export class TaskRegistry {
  private readonly tasks = new Map<string, TaskRecord>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly idleWaiters = new Set<() => void>();
  private readonly endListeners = new Map<string, ((task: TaskRecord) => void)[]>();
  private nextPid: number;

  constructor(
    private readonly clock: LabClock,
    firstPid: number,
    /** Node uptime in seconds, for the pstart field. */
    private readonly nodeUptime: (node: string) => number,
  ) {
    this.nextPid = firstPid;
  }

  start(spec: TaskSpec): TaskRecord {
    const starttime = this.clock.nowSec();
    const pid = this.nextPid++;
    const pstart = Math.max(1, Math.floor(this.nodeUptime(spec.node) * 100));
    const upid = encodeUpid({ node: spec.node, pid, pstart, starttime, type: spec.type, id: spec.id, user: spec.user });
    const task: TaskRecord = {
      upid,
      node: spec.node,
      pid,
      pstart,
      starttime,
      type: spec.type,
      id: spec.id,
      user: spec.user,
      status: 'running',
      log: [...(spec.log ?? [])],
    };
    this.tasks.set(upid, task);
    this.prune();
    if (!spec.held) {
      const timer = setTimeout(() => {
        this.timers.delete(upid);
        if (spec.failWith !== undefined) this.end(upid, spec.failWith);
        else this.complete(task, spec.finish);
      }, Math.max(0, spec.durationMs));
      this.timers.set(upid, timer);
    }
    return task;
  }

  /** A worker pid, for tasks recorded as already finished (backups run through the handle). */
  allocatePid(): number {
    return this.nextPid++;
  }

  /** Records a finished task from before the lab started (history). */
  addHistory(task: Omit<TaskRecord, 'upid'>): TaskRecord {
    const upid = encodeUpid(task);
    const record = { ...task, upid };
    this.tasks.set(upid, record);
    return record;
  }

  get(upid: string): TaskRecord | undefined {
    return this.tasks.get(upid);
  }

  /**
   * Ends a running task: OK without an error, TASK ERROR with one; a task that logged warnings
   * (and no error) ends "WARNINGS: n", as PVE's fork_worker counts log_warn calls.
   */
  end(upid: string, error?: string, warnings = 0): void {
    const task = this.tasks.get(upid);
    if (!task || task.status !== 'running') return;
    const timer = this.timers.get(upid);
    if (timer) clearTimeout(timer);
    this.timers.delete(upid);
    task.status = 'stopped';
    task.endtime = this.clock.nowSec();
    if (error === undefined && warnings > 0) {
      task.exitstatus = `WARNINGS: ${warnings}`;
      task.log.push(`TASK WARNINGS: ${warnings}`);
    } else if (error === undefined) {
      task.exitstatus = 'OK';
      task.log.push('TASK OK');
    } else {
      const oneLine = error.replace(/\n+$/, '').split('\n').pop() ?? error;
      task.exitstatus = oneLine;
      task.log.push(`TASK ERROR: ${oneLine}`);
    }
    const listeners = this.endListeners.get(upid) ?? [];
    this.endListeners.delete(upid);
    for (const listener of listeners) listener(task);
    this.notifyIfIdle();
  }

  /** Calls back once the task has ended (at once when it already has). */
  onEnd(upid: string, listener: (task: TaskRecord) => void): void {
    const task = this.tasks.get(upid);
    if (!task) return;
    if (task.status === 'stopped') {
      listener(task);
      return;
    }
    this.endListeners.set(upid, [...(this.endListeners.get(upid) ?? []), listener]);
  }

  /** Ends every running task of a node that lost power; its effects never happen. */
  abortNode(node: string): void {
    for (const task of this.tasks.values()) {
      if (task.node === node && task.status === 'running') this.end(task.upid, 'unexpected status');
    }
  }

  list(filter: (task: TaskRecord) => boolean): TaskRecord[] {
    return [...this.tasks.values()].filter(filter).sort((a, b) => b.starttime - a.starttime || b.pid - a.pid);
  }

  runningCount(): number {
    let n = 0;
    for (const task of this.tasks.values()) if (task.status === 'running') n++;
    return n;
  }

  waitForIdle(timeoutMs: number, ignore: (task: TaskRecord) => boolean = () => false): Promise<void> {
    const busy = (): boolean => [...this.tasks.values()].some((t) => t.status === 'running' && !ignore(t));
    if (!busy()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.idleWaiters.delete(check);
        reject(new Error(`tasks still running after ${timeoutMs} ms`));
      }, timeoutMs);
      const check = (): void => {
        if (busy()) return;
        clearTimeout(timer);
        this.idleWaiters.delete(check);
        resolve();
      };
      this.idleWaiters.add(check);
    });
  }

  stop(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private prune(): void {
    if (this.tasks.size <= MAX_TASKS) return;
    for (const [upid, task] of this.tasks) {
      if (this.tasks.size <= MAX_TASKS * 0.8) break;
      if (task.status === 'stopped') this.tasks.delete(upid);
    }
  }

  private complete(task: TaskRecord, finish: TaskSpec['finish']): void {
    try {
      const lines = finish?.() ?? [];
      task.log.push(...lines);
      this.end(task.upid);
    } catch (err) {
      this.end(task.upid, err instanceof Error ? err.message : String(err));
    }
  }

  private notifyIfIdle(): void {
    for (const waiter of [...this.idleWaiters]) waiter();
  }
}

/** The fields /nodes/{node}/tasks and /cluster/tasks list for a task. */
export function taskListEntry(task: TaskRecord): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    upid: task.upid,
    node: task.node,
    pid: task.pid,
    pstart: task.pstart,
    starttime: task.starttime,
    type: task.type,
    id: task.id,
    user: task.user,
  };
  if (task.status === 'stopped') {
    entry.status = task.exitstatus ?? 'unknown';
    entry.endtime = task.endtime ?? task.starttime;
  }
  return entry;
}

export function taskStatusEntry(task: TaskRecord): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    upid: task.upid,
    node: task.node,
    pid: task.pid,
    pstart: task.pstart,
    starttime: task.starttime,
    type: task.type,
    id: task.id,
    user: task.user,
    status: task.status,
  };
  if (task.status === 'stopped') entry.exitstatus = task.exitstatus ?? 'unknown';
  return entry;
}
