import * as z from 'zod';
import { event, request } from '../ipc';
import type { ServerKind } from '../server';
import { lazySchema } from './lazy';

/**
 * Consoles (issue 7): SSH terminals, Proxmox shells, VM screens, streamed commands and live
 * stats. Bytes travel main → renderer as numbered `console.data` events and the renderer
 * acknowledges what it consumed (`consoles.ack`); main pauses the source when too much is
 * unacknowledged. Nothing here ever carries a credential.
 */

/** Interactive consoles: an SSH shell, a Proxmox node shell / LXC console (termproxy), a QEMU screen (vncproxy). */
export const CONSOLE_KINDS = ['ssh-shell', 'proxmox-term', 'vnc'] as const;
export type ConsoleKind = (typeof CONSOLE_KINDS)[number];
export type SessionKind = ConsoleKind | 'exec' | 'stats';

export const CONSOLE_LABELS: Record<SessionKind, string> = {
  'ssh-shell': 'Terminal',
  'proxmox-term': 'Proxmox shell',
  vnc: 'Screen',
  exec: 'Run',
  stats: 'Live stats',
};

export interface FlowInfo {
  /** Main pauses the source once this many bytes are sent and not acknowledged. */
  highWater: number;
  /** Acknowledge at least every this many bytes (and soon after a quiet moment). */
  ackEvery: number;
}

export interface ConsoleInfo {
  sessionId: string;
  kind: SessionKind;
  serverId: string;
  serverName: string;
  /** What a tab shows: "nas", "nas: journalctl -u nginx". */
  title: string;
  owner: string;
  openedAt: number;
  cols?: number;
  rows?: number;
  flow: FlowInfo;
}

export interface ConsoleData {
  sessionId: string;
  /** 1, 2, 3… per session: a gap means events were lost (the link to main dropped). */
  seq: number;
  /** The bytes, base64. */
  data: string;
  /** Decoded length: what the renderer acknowledges once it consumed them. */
  bytes: number;
  /** Set on a command's standard error; absent for standard output and terminals. */
  stream?: 'stderr';
}

export interface ConsoleClosed {
  sessionId: string;
  /** Why, in words for the closed banner ("The shell exited", "Connection lost: …"). */
  reason: string;
  /** True when something went wrong (not a normal exit or a close asked for). */
  error: boolean;
  exitCode?: number;
  signal?: string;
}

/** One `docker stats`-like reading. Sizes in bytes, rates in bytes per second. */
export interface LiveStats {
  at: number;
  source: 'ssh' | 'proxmox';
  /** running, stopped, paused… (Proxmox) or up (a host that answered over SSH). */
  status: string;
  cpuPercent?: number;
  cpus?: number;
  memUsed?: number;
  memLimit?: number;
  memPercent?: number;
  /** Totals since boot (or since the guest started). */
  netRx?: number;
  netTx?: number;
  blockRead?: number;
  blockWrite?: number;
  netRxRate?: number;
  netTxRate?: number;
  blockReadRate?: number;
  blockWriteRate?: number;
  uptimeSec?: number;
  /** The last poll failed; the figures are from the one before (if any). */
  error?: string;
}

export interface ConsoleStatsEvent {
  sessionId: string;
  sample: LiveStats;
}

/** What a server offers, and why not when it does not. */
export interface ConsoleAvailability {
  serverId: string;
  kinds: Record<SessionKind, { available: boolean; reason?: string }>;
}

// ------------------------------------------------------------------ validation (also used by main before it builds a command)

/**
 * A systemd unit name: letters, digits and `@ . _ : + -`, starting with a letter or digit. No
 * spaces, quotes, `$`, `;`, `|`, `&`, backticks, slashes or newlines can pass.
 */
export const SERVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9@._:+-]{0,127}$/;

/** Where `tail` may read: logs only, never /etc/shadow or a key. */
export const LOG_FILE_ROOTS: readonly string[] = ['/var/log/'];
const PATH_SEGMENT = /^[A-Za-z0-9_@+][A-Za-z0-9._@+-]*$/;

export function serviceNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'a service name is required';
  if (name.length > 128) return 'a service name is at most 128 characters';
  if (!SERVICE_NAME.test(name)) return 'a service name is letters, digits and @ . _ : + - only (like nginx or getty@tty1)';
  return undefined;
}

export function logFileProblem(file: string, roots: readonly string[] = LOG_FILE_ROOTS): string | undefined {
  if (file.length === 0) return 'a file is required';
  if (file.length > 256) return 'a file path is at most 256 characters';
  if (!file.startsWith('/')) return 'a file is an absolute path like /var/log/syslog';
  const segments = file.slice(1).split('/');
  // Each segment is plain: no "." or "..", no empty segment, nothing a shell would read as syntax.
  if (segments.some((s) => !PATH_SEGMENT.test(s))) return 'a file path is letters, digits and . _ @ + - between slashes, with no .. segments';
  if (!roots.some((root) => file.startsWith(root))) return `only files under ${roots.join(', ')} can be followed`;
  return undefined;
}

/** A command the admin typed: run as typed (like in a terminal), but one line and no control characters. */
export function commandProblem(command: string): string | undefined {
  if (command.trim().length === 0) return 'a command is required';
  if (command.length > 2000) return 'a command is at most 2000 characters';
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x08\x0a-\x1f\x7f]/.test(command)) return 'a command is one line without control characters';
  return undefined;
}

const refineWith = (problem: (v: string) => string | undefined) => (v: string, ctx: z.RefinementCtx) => {
  const p = problem(v);
  if (p) ctx.addIssue({ code: 'custom', message: p });
};

const lines = lazySchema(() => z.number().int('a whole number of lines').min(0, 'at least 0 lines').max(10_000, 'at most 10000 lines'));

export const execSpecSchema = lazySchema(() => z.discriminatedUnion('type', [
  z.object({ type: z.literal('command'), command: z.string().superRefine(refineWith(commandProblem)) }).strict(),
  z.object({ type: z.literal('journal'), service: z.string().superRefine(refineWith(serviceNameProblem)), lines: lines.default(100), follow: z.boolean().default(true) }).strict(),
  z.object({ type: z.literal('tail'), file: z.string().superRefine(refineWith((f) => logFileProblem(f))), lines: lines.default(100), follow: z.boolean().default(true) }).strict(),
]));
export type ExecSpec = z.input<typeof execSpecSchema>;
export type ParsedExecSpec = z.output<typeof execSpecSchema>;

/** What a tab calls a streamed command. */
export function execTitle(spec: ExecSpec): string {
  switch (spec.type) {
    case 'command':
      return spec.command.length > 40 ? `${spec.command.slice(0, 39)}…` : spec.command;
    case 'journal':
      return `journalctl -u ${spec.service}`;
    case 'tail':
      return `tail ${spec.file}`;
  }
}

// ------------------------------------------------------------------ availability (pure: the renderer and main agree)

interface ConsoleTarget {
  id: string;
  kind: ServerKind;
  ssh?: unknown;
  /** A server's view carries `consoleRefusal` when its cluster refuses consoles for the credentials held (a token on PVE 8). */
  proxmox?: { cluster: string; node: string; type?: 'qemu' | 'lxc' | undefined; vmid?: number | undefined; consoleRefusal?: string | undefined } | undefined;
}

export function consoleAvailability(server: ConsoleTarget): ConsoleAvailability {
  const hasSsh = server.ssh !== undefined && server.ssh !== null;
  const px = server.proxmox;
  const node = server.kind === 'proxmox-node' && px !== undefined && px.vmid === undefined;
  const lxc = px?.type === 'lxc' && px.vmid !== undefined;
  const qemu = px?.type === 'qemu' && px.vmid !== undefined;
  const noSsh = 'set up SSH for this server first';
  const yes = { available: true } as const;
  // The cluster refuses consoles for the credentials Rackdeck holds: say so, with the fix, instead of a console that fails.
  const refused = px?.consoleRefusal ? { available: false, reason: px.consoleRefusal } : undefined;
  return {
    serverId: server.id,
    kinds: {
      'ssh-shell': hasSsh ? yes : { available: false, reason: noSsh },
      'proxmox-term': node || lxc ? (refused ?? yes) : { available: false, reason: 'only Proxmox nodes and containers have a Proxmox shell' },
      vnc: qemu ? (refused ?? yes) : { available: false, reason: 'only Proxmox VMs have a screen' },
      exec: hasSsh ? yes : { available: false, reason: noSsh },
      stats: hasSsh || node || lxc || qemu ? yes : { available: false, reason: 'set up SSH or add it through a Proxmox cluster first' },
    },
  };
}

// ------------------------------------------------------------------ the channels

const serverId = lazySchema(() => z.string().min(1, 'a server id is required'));
/** The window (page load) a session belongs to: its sessions close with it. */
const owner = lazySchema(() => z.string().regex(/^[A-Za-z0-9_.:-]{8,80}$/, 'an owner is 8–80 letters, digits or . _ : -'));
const sessionId = lazySchema(() => z.string().regex(/^[0-9a-f-]{36}$/, 'a session id'));
const cols = lazySchema(() => z.number().int().min(2, 'at least 2 columns').max(1000, 'at most 1000 columns'));
const rows = lazySchema(() => z.number().int().min(1, 'at least 1 row').max(500, 'at most 500 rows'));

export const consolesContract = {
  /** Opens an interactive console; its output arrives as `console.data`, its end as `console.closed`. */
  open: request<ConsoleInfo>()(() => z.object({ serverId, kind: z.enum(CONSOLE_KINDS), owner, cols: cols.optional(), rows: rows.optional() }).strict()),
  /** Streams a command, `journalctl -u <service> -f` or `tail -F <file>`; it stops when the session is closed. */
  exec: request<ConsoleInfo>()(() => z.object({ serverId, owner, spec: execSpecSchema }).strict()),
  /** Live stats every `intervalMs` (default 3 s) as `console.stats`. */
  stats: request<ConsoleInfo>()(() => z.object({ serverId, owner, intervalMs: z.number().int().min(1000).max(60_000).optional() }).strict()),
  /** Input: keys and pastes (utf8), or raw RFB bytes (base64). Never logged. */
  write: request<{ ok: true }>()(() => z.object({ sessionId, data: z.string().max(512 * 1024), encoding: z.enum(['utf8', 'base64']).default('utf8') }).strict()),
  resize: request<{ ok: true }>()(() => z.object({ sessionId, cols, rows }).strict()),
  /**
   * The window consumed `bytes` more of this session's output. `all`: it lost some (its link to
   * main dropped a moment), so everything sent so far counts as consumed and the source resumes.
   */
  ack: request<{ ok: true }>()(() => z.object({ sessionId, bytes: z.number().int().min(0).max(1 << 30), all: z.boolean().optional() }).strict()),
  close: request<{ closed: boolean }>()(() => z.object({ sessionId }).strict()),
  /** Closes every session of a window (it is going away). */
  closeOwner: request<{ closed: number }>()(() => z.object({ owner }).strict()),
  /** A window is still there: its sessions are kept (they are closed a minute after its last sign of life). */
  keepalive: request<{ sessions: number }>()(() => z.object({ owner }).strict()),
  list: request<ConsoleInfo[]>()(() => z.object({ owner: owner.optional() }).strict()),
  available: request<ConsoleAvailability>()(() => z.object({ serverId }).strict()),
};

export const consoleEvents = {
  /** Output of a console session, batched, numbered per session. */
  'console.data': event<ConsoleData>(),
  /** A console session ended, and why. */
  'console.closed': event<ConsoleClosed>(),
  /** A live stats reading. */
  'console.stats': event<ConsoleStatsEvent>(),
};

// ------------------------------------------------------------------ formatting shared by the view and the CLI

export function formatBytes(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = n;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v.toFixed(0) : v.toFixed(v >= 100 ? 0 : 1)}${units[i]}`;
}

/** GoDoxy's stats line: "running|31.1%|9.6GiB/20GiB|48.87%|4.7GiB/3.3GiB|25GiB/36GiB". */
export function statsLine(s: LiveStats): string {
  const pct = (v: number | undefined, digits: number) => (v === undefined ? '–' : `${v.toFixed(digits)}%`);
  return [
    s.status,
    pct(s.cpuPercent, 1),
    `${formatBytes(s.memUsed)}/${formatBytes(s.memLimit)}`,
    pct(s.memPercent, 2),
    `${formatBytes(s.netRx)}/${formatBytes(s.netTx)}`,
    `${formatBytes(s.blockRead)}/${formatBytes(s.blockWrite)}`,
  ].join('|');
}
