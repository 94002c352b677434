import * as z from 'zod';
import type { TaskInfo, TaskLogLine, TaskOutcome } from '../../../shared/contract/proxmox';
import type { Clock } from '../../base/clock';
import { apiPath, type ProxmoxApi } from './api';
import { ProxmoxError } from './model/errors';
import { parseList, taskListEntrySchema, taskLogLineSchema, taskStatusSchema } from './model/parse';
import { lazySchema } from '../../../shared/contract/lazy';

/**
 * Proxmox tasks: every action answers with a UPID, and the action is done only when the task
 * stops with exitstatus "OK" (or "WARNINGS: N"); anything else is the error text.
 */

export interface Upid {
  node: string;
  pid: number;
  pstart: number;
  /** Seconds since the epoch. */
  starttime: number;
  type: string;
  id: string;
  user: string;
}

// UPID:<node>:<pid 8 hex>:<pstart 8-9 hex>:<starttime 8 hex>:<type>:<id>:<user>: (the trailing colon belongs to it)
const UPID = /^UPID:([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?):([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8,9}):([0-9A-Fa-f]{8}):([^:\s]+):([^:\s]*):([^:\s]+):$/;

export function parseUpid(upid: string): Upid | undefined {
  const m = UPID.exec(upid.trim());
  if (!m) return undefined;
  const [, node = '', pid = '0', pstart = '0', starttime = '0', type = '', id = '', user = ''] = m;
  return { node, pid: parseInt(pid, 16), pstart: parseInt(pstart, 16), starttime: parseInt(starttime, 16), type, id, user };
}

const hex = (n: number, width: number) => n.toString(16).toUpperCase().padStart(width, '0');

export function formatUpid(u: Upid): string {
  return `UPID:${u.node}:${hex(u.pid, 8)}:${hex(u.pstart, 8)}:${hex(u.starttime, 8)}:${u.type}:${u.id}:${u.user}:`;
}

export function isUpid(v: unknown): v is string {
  return typeof v === 'string' && parseUpid(v) !== undefined;
}

/** "OK" → ok, "WARNINGS: 2" → warnings, anything else (the error text) → error. */
export function outcomeOf(status: string | undefined, exitstatus: string | undefined): TaskOutcome {
  if (status !== 'stopped') return 'running';
  const exit = (exitstatus ?? '').trim();
  if (exit === 'OK') return 'ok';
  if (/^WARNINGS?:/i.test(exit)) return 'warnings';
  return 'error';
}

/** An action's answer: `{data: "UPID:…"}`. Some endpoints on old servers answer null when nothing ran. */
export const upidSchema = lazySchema(() => z.unknown().transform((v, ctx) => {
  if (isUpid(v)) return v;
  ctx.addIssue({ code: 'custom', message: `expected a task id (UPID), got ${JSON.stringify(v)}` });
  return z.NEVER;
}));

function base(raw: { upid: string; node?: string | undefined; type?: string | undefined; id?: string | undefined; user?: string | undefined; starttime?: number | undefined; endtime?: number | undefined }, fallbackNode: string) {
  const u = parseUpid(raw.upid);
  return {
    upid: raw.upid,
    node: raw.node ?? u?.node ?? fallbackNode,
    type: raw.type ?? u?.type ?? '',
    id: raw.id ?? u?.id ?? '',
    user: raw.user ?? u?.user ?? '',
    starttime: raw.starttime ?? u?.starttime ?? 0,
    ...(raw.endtime !== undefined ? { endtime: raw.endtime } : {}),
  };
}

/** From .../tasks/{upid}/status: `status` running|stopped, the result in `exitstatus`. */
export function taskFromStatus(raw: z.output<typeof taskStatusSchema>, fallbackNode: string): TaskInfo {
  const status = raw.status === 'stopped' ? 'stopped' : 'running';
  return { ...base(raw, fallbackNode), status, ...(raw.exitstatus !== undefined ? { exitstatus: raw.exitstatus } : {}), outcome: outcomeOf(status, raw.exitstatus) };
}

/** From /nodes/{node}/tasks: a finished task has `endtime` and its result in `status`; a running one has neither. */
export function taskFromListEntry(raw: z.output<typeof taskListEntrySchema>, fallbackNode: string): TaskInfo {
  const finished = raw.endtime !== undefined || (raw.status !== undefined && raw.status !== 'running');
  const status = finished ? 'stopped' : 'running';
  const exitstatus = finished ? (raw.status ?? 'unknown') : undefined;
  return { ...base(raw, fallbackNode), status, ...(exitstatus !== undefined ? { exitstatus } : {}), outcome: outcomeOf(status, exitstatus) };
}

function nodeOf(upid: string): string {
  const u = parseUpid(upid);
  if (!u) throw new ProxmoxError('parameter', `"${upid}" is not a task id (UPID)`);
  return u.node;
}

export async function taskStatus(api: ProxmoxApi, upid: string): Promise<TaskInfo> {
  const node = nodeOf(upid);
  const raw = await api.get(apiPath`/nodes/${node}/tasks/${upid}/status`, taskStatusSchema);
  return taskFromStatus(raw, node);
}

export interface TaskLog {
  lines: TaskLogLine[];
  total: number;
}

export async function taskLog(api: ProxmoxApi, upid: string, start = 0, limit = 500): Promise<TaskLog> {
  const node = nodeOf(upid);
  // The envelope's `total` sits beside `data`; the schema sees only `data`, so count here.
  const raw = await api.get(apiPath`/nodes/${node}/tasks/${upid}/log`, z.unknown(), { start, limit });
  const { items } = parseList(taskLogLineSchema, raw);
  // An empty log reads as one line "no content" (pve-common's dump_logfile): it is not line 1 of the log.
  if (items.length === 1 && items[0]?.t === 'no content' && (items[0].n ?? 1) <= start + 1) return { lines: [], total: start };
  const lines = items.map((l, i) => ({ n: l.n ?? start + i + 1, t: l.t }));
  return { lines, total: lines.length === 0 ? start : (lines[lines.length - 1]?.n ?? start) };
}

export async function nodeTasks(api: ProxmoxApi, node: string, options: { limit?: number; vmid?: number; errors?: boolean; source?: 'archive' | 'active' | 'all' } = {}): Promise<TaskInfo[]> {
  const raw = await api.get(apiPath`/nodes/${node}/tasks`, z.unknown(), { limit: options.limit ?? 50, vmid: options.vmid, errors: options.errors, source: options.source });
  return parseList(taskListEntrySchema, raw).items.map((t) => taskFromListEntry(t, node));
}

export interface FollowOptions {
  clock: Clock;
  /** Longest poll interval (default 1 s, as Proxmox's GUI polls). */
  intervalMs?: number;
  /** First poll interval, doubled up to `intervalMs`: most tasks end within a second (default 100 ms). */
  firstIntervalMs?: number;
  /** Give up after this long (the task keeps running on the node). */
  timeoutMs?: number;
  /** Called with each status seen and the log lines that are new since the last call. */
  onProgress?: (task: TaskInfo, newLines: TaskLogLine[]) => void;
  /** Stop following when this resolves true (the UI closed, the app quits). */
  signal?: AbortSignal;
}

export interface FollowedTask {
  task: TaskInfo;
  log: TaskLogLine[];
}

function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const h = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clock.clearTimeout(h);
      resolve();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Follows a task to its end, polling its status and its log on the injected clock. Resolves
 * with the final status and the whole log; it does not throw when the task failed (the caller
 * decides what a failed task means) but throws on timeout or when the task cannot be read.
 */
export async function followTask(api: ProxmoxApi, upid: string, options: FollowOptions): Promise<FollowedTask> {
  const maxInterval = options.intervalMs ?? 1000;
  let interval = Math.min(options.firstIntervalMs ?? 100, maxInterval);
  const deadline = options.clock.now() + (options.timeoutMs ?? 10 * 60_000);
  const log: TaskLogLine[] = [];
  for (;;) {
    const task = await taskStatus(api, upid);
    const fresh = await taskLog(api, upid, log.length, 500).catch(() => ({ lines: [], total: log.length }));
    const newLines = fresh.lines.filter((l) => l.n > (log[log.length - 1]?.n ?? 0));
    log.push(...newLines);
    options.onProgress?.(task, newLines);
    if (task.status === 'stopped') {
      // The log may have grown between the status and the log call; read the tail once more.
      const tail = await taskLog(api, upid, log.length, 500).catch(() => ({ lines: [], total: log.length }));
      const more = tail.lines.filter((l) => l.n > (log[log.length - 1]?.n ?? 0));
      if (more.length) {
        log.push(...more);
        options.onProgress?.(task, more);
      }
      return { task, log };
    }
    if (options.signal?.aborted) throw new ProxmoxError('timeout', `Stopped following task ${upid}`, { upid });
    if (options.clock.now() >= deadline) throw new ProxmoxError('timeout', `Task ${upid} was still running after ${Math.round((options.timeoutMs ?? 600_000) / 1000)} s`, { upid });
    await sleep(options.clock, interval, options.signal);
    interval = Math.min(maxInterval, interval * 2);
  }
}

/** Throws a task_failed ProxmoxError when a followed task ended in error; returns it otherwise. */
export function requireSuccess(followed: FollowedTask): FollowedTask {
  if (followed.task.outcome === 'error') {
    const text = followed.task.exitstatus ?? 'unknown error';
    throw new ProxmoxError('task_failed', `Task ${followed.task.type} failed: ${text}`, { upid: followed.task.upid, exitstatus: text });
  }
  return followed;
}
