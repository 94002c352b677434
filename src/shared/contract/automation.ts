import * as z from 'zod';
import { request } from '../ipc';
import { lazySchema } from './lazy';

/**
 * Automation (issue 17): schedules and idle auto-suspend. config.json keeps them under
 * `settings.automation`, every field with a default so older files read as is. A schedule's
 * `when` is a cron expression or a simple form ("weekdays 07:00"); main checks it (croner) and
 * refuses one it cannot read, so the schema here only bounds its size.
 */

const id = lazySchema(() => z.string().trim().min(1, 'an id is required').max(200));
const groupName = lazySchema(() => z.string().trim().min(1, 'a group name is required').max(63));

/** One server, or every server whose `groups` include the name (resolved when the schedule runs). */
export const scheduleTargetSchema = lazySchema(() => z.union([z.object({ serverId: id }).strict(), z.object({ group: groupName }).strict()]));
export type ScheduleTarget = z.output<typeof scheduleTargetSchema>;

/** Power actions, and setting (or clearing) the desired state the reconcile loop keeps. */
export const SCHEDULE_ACTIONS = ['wake', 'suspend', 'hibernate', 'shutdown', 'desired-on', 'desired-off', 'desired-suspended', 'desired-clear'] as const;
export type ScheduleAction = (typeof SCHEDULE_ACTIONS)[number];

/** Actions that take a server down: the conditions below may skip them. */
export const POWER_DOWN_ACTIONS: ReadonlySet<ScheduleAction> = new Set(['suspend', 'hibernate', 'shutdown', 'desired-off', 'desired-suspended']);

export const IDLE_ACTIONS = ['suspend', 'hibernate', 'shutdown'] as const;
export type IdleAction = (typeof IDLE_ACTIONS)[number];

/** What skips a power-down, and says why. Thresholds left out are not checked. */
export const conditionsSchema = lazySchema(() => z
  .object({
    /** Someone is logged in (`who` over SSH). */
    sshLogins: z.boolean().default(true),
    /** A child server (a Proxmox guest, a VM on the host) is on. */
    guestsRunning: z.boolean().default(true),
    /** A Proxmox backup (vzdump task) runs on the node. */
    backupRunning: z.boolean().default(true),
    /** CPU busy above this share, %. */
    cpuAbovePct: z.number().finite().min(0).max(100).optional(),
    /** Network in + out above this, Mb/s. */
    netAboveMbps: z.number().finite().min(0).max(100_000).optional(),
  })
  .strict());
export type Conditions = z.output<typeof conditionsSchema>;

export const scheduleInputSchema = lazySchema(() => z
  .object({
    name: z.string().trim().max(100).optional(),
    target: scheduleTargetSchema,
    action: z.enum(SCHEDULE_ACTIONS),
    /** A cron expression (5 or 6 fields) or "weekdays 07:00", "daily 23:30", "sat,sun 09:00". */
    when: z.string().trim().min(1, 'when is required: a cron expression or a form like "weekdays 07:00"').max(200),
    /** IANA time zone (Europe/Paris); this machine's own when absent. */
    timezone: z.string().trim().min(1).max(100).optional(),
    conditions: conditionsSchema.prefault({}),
    enabled: z.boolean().default(true),
  })
  .strict());
export type ScheduleInput = z.input<typeof scheduleInputSchema>;

export const scheduleSchema = lazySchema(() => scheduleInputSchema.extend({ id }).strict());
export type Schedule = z.output<typeof scheduleSchema>;

export const idlePolicySchema = lazySchema(() => z
  .object({
    serverId: id,
    enabled: z.boolean().default(true),
    /** N: how long every figure must stay below its line. */
    idleMinutes: z.number().int().min(1).max(10_080).default(30),
    /** X: CPU busy below this, %. */
    cpuBelowPct: z.number().finite().min(0).max(100).default(10),
    /** Y: network in + out below this, Mb/s. */
    netBelowMbps: z.number().finite().min(0).max(100_000).default(1),
    action: z.enum(IDLE_ACTIONS).default('suspend'),
    /** M: never within this long of a wake. */
    afterWakeMinutes: z.number().int().min(0).max(1_440).default(15),
  })
  .strict());
export type IdlePolicy = z.output<typeof idlePolicySchema>;
export type IdlePolicyInput = z.input<typeof idlePolicySchema>;

export const automationSettingsSchema = lazySchema(() => z
  .object({
    schedules: z.array(scheduleSchema).max(1000).default([]),
    idle: z.array(idlePolicySchema).max(5000).default([]),
    /** Server id → until when (ms since epoch) idle auto-suspend leaves it alone. */
    keepAwake: z.record(z.string(), z.number().finite()).default({}),
  })
  .strict());
export type AutomationSettings = z.output<typeof automationSettingsSchema>;

/** One run of a schedule or an idle policy on one server: done, skipped (and why) or failed. */
export interface AutomationRun {
  at: number;
  source: 'schedule' | 'idle';
  scheduleId?: string;
  scheduleName?: string;
  serverId: string;
  serverName: string;
  action: ScheduleAction;
  outcome: 'done' | 'skipped' | 'failed';
  reason?: string;
}

/** One thing a schedule will do within the window. */
export interface UpcomingRun {
  at: number;
  scheduleId: string;
  scheduleName?: string;
  action: ScheduleAction;
  serverIds: string[];
  /** The group named when it has no member now (the run will do nothing). */
  note?: string;
}

export interface NextView {
  from: number;
  until: number;
  upcoming: UpcomingRun[];
  /** What ran (or was skipped) in the window before `from`, newest first. */
  recent: AutomationRun[];
}

export interface IdleView extends IdlePolicy {
  serverName: string;
  /** Since when its figures have all been below their lines (absent: not idle now). */
  idleSince?: number;
  /** Why it is not idle now, in words. */
  busy?: string;
  keepAwakeUntil?: number;
}

/** A schedule as listed: its `when` read back as the cron it runs, and its next time. */
export interface ScheduleView extends Schedule {
  cron: string;
  nextAt?: number;
}

export const automationContract = {
  schedules: request<ScheduleView[]>()(() => z.object({}).strict()),
  /** Checks `when` (and the time zone) and saves; refused with the reason when either cannot be read. */
  addSchedule: request<ScheduleView>()(() => scheduleInputSchema),
  removeSchedule: request<{ removed: string }>()(() => z.object({ id }).strict()),
  /** What schedules will do in the next `hours` (24 by default), and what ran or was skipped in the last ones. */
  next: request<NextView>()(() => z.object({ hours: z.number().int().min(1).max(168).optional() }).strict()),
  idle: request<IdleView[]>()(() => z.object({}).strict()),
  /** Sets (or replaces) a server's idle auto-suspend. */
  setIdle: request<IdleView>()(() => idlePolicySchema),
  removeIdle: request<{ removed: string }>()(() => z.object({ serverId: id }).strict()),
  /** Holds idle auto-suspend off a server for `minutes` (120 by default), and wakes it if it sleeps. */
  keepAwake: request<{ serverId: string; until: number }>()(() => z.object({ serverId: id, minutes: z.number().int().min(1).max(10_080).optional() }).strict()),
};
