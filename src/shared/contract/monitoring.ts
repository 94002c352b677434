import * as z from 'zod';
import { httpUrlSchema } from './http-url';
import { event, request } from '../ipc';
import {
  actionFilterSchema,
  historyRangeSchema,
  type ActionLogEntry,
  type MetricSample,
  type MetricSeries,
  type PowerTransition,
  type UptimeReport,
  type WattageProfile,
} from '../metrics';
import { portSchema } from '../server';
import { maintenanceListSchema, overridesSchema } from './alert-policy';
import { channelIdSchema, channelListSchema } from './channels';
import { lazySchema } from './lazy';

/**
 * Monitoring (issue 6): metrics charts and live figures, service checks, uptime and energy, alert
 * rules with their channels, and the action log. The settings schema lives here too: config.json
 * keeps it under `settings.monitoring`, every field with a default so older files read as is.
 */

// ---------------------------------------------------------------- alert rules

// The kinds and severities live in their own file (monitoring.ts stays under 400 lines); re-exported for every importer.
export * from './alert-kinds';
import { ALERT_KINDS, ALERT_SEVERITIES, isThresholdKind, type AlertKind, type AlertSeverity } from './alert-kinds';

export const alertRuleSchema = lazySchema(() => z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'an id is 1–40 lowercase letters, digits or dashes'),
    kind: z.enum(ALERT_KINDS),
    name: z.string().trim().min(1, 'a rule needs a name').max(80, 'a name is at most 80 characters'),
    enabled: z.boolean().default(true),
    /** Percent; threshold kinds only. */
    threshold: z.number({ error: 'a threshold is a number' }).min(1, 'a threshold is 1–100 %').max(100, 'a threshold is 1–100 %').optional(),
    /** How long the figure must stay at or above the threshold before the alert fires. */
    forMinutes: z.number({ error: 'a duration is a number of minutes' }).min(0, 'a duration cannot be negative').max(1440, 'at most a day').optional(),
    /** The alert clears once the figure is this many points below the threshold: no flapping around the line. */
    hysteresis: z.number({ error: 'hysteresis is a number of points' }).min(0, 'hysteresis cannot be negative').max(50, 'at most 50 points').optional(),
    /** At most one notification per rule and server in this time. */
    throttleMinutes: z.number({ error: 'a number of minutes' }).min(0, 'cannot be negative').max(10080, 'at most a week').default(60),
    /** Server ids the rule watches; empty: every server. */
    servers: z.array(z.string().min(1)).max(500).default([]),
    severity: z.enum(ALERT_SEVERITIES).default('warning'),
    /** Also send to the e-mail / webhook channel when that channel is on. */
    email: z.boolean().default(true),
    webhook: z.boolean().default(true),
    /** The channels (by id) this rule sends to; absent: every enabled channel the booleans above allow (files from before channels were a list). */
    channels: z.array(channelIdSchema).max(50).optional(),
    /** Not acknowledged this many minutes after it fired: sent again, to `escalateTo`. */
    escalateAfterMinutes: z.number().int().min(1, 'at least a minute').max(10_080, 'at most a week').optional(),
    escalateTo: z.array(channelIdSchema).max(50).optional(),
  })
  .strict()
  .superRefine((rule, ctx) => {
    if (isThresholdKind(rule.kind) && rule.threshold === undefined) ctx.addIssue({ code: 'custom', path: ['threshold'], message: 'a threshold is required for this kind' });
    if (isThresholdKind(rule.kind) && rule.threshold !== undefined && rule.hysteresis !== undefined && rule.hysteresis >= rule.threshold) {
      ctx.addIssue({ code: 'custom', path: ['hysteresis'], message: 'hysteresis must be below the threshold' });
    }
  }));
export type AlertRule = z.output<typeof alertRuleSchema>;
export type AlertRuleInput = z.input<typeof alertRuleSchema>;

export const alertRulesSchema = lazySchema(() => z
  .array(alertRuleSchema)
  .max(100, 'at most 100 rules')
  .superRefine((rules, ctx) => {
    const seen = new Set<string>();
    rules.forEach((r, i) => {
      if (seen.has(r.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `the id "${r.id}" is used twice` });
      seen.add(r.id);
    });
  }));

/** Defaults as the issue asks: 90 % for 5 minutes, and every event on; one notification per rule and server an hour. */
export const DEFAULT_ALERT_RULES: AlertRuleInput[] = [
  { id: 'cpu-high', kind: 'cpu', name: 'CPU busy', threshold: 90, forMinutes: 5, hysteresis: 5 },
  { id: 'memory-high', kind: 'memory', name: 'Memory nearly full', threshold: 90, forMinutes: 5, hysteresis: 5 },
  { id: 'disk-full', kind: 'disk', name: 'Disk nearly full', threshold: 90, forMinutes: 5, hysteresis: 2, severity: 'error' },
  { id: 'server-down', kind: 'down', name: 'Server went down', severity: 'error' },
  { id: 'wake-failed', kind: 'wake_failed', name: 'Wake failed', severity: 'error' },
  { id: 'task-failed', kind: 'task_failed', name: 'Proxmox task failed' },
  { id: 'host-key', kind: 'host_key', name: 'SSH host key changed', severity: 'error' },
  { id: 'certificate', kind: 'certificate', name: 'Proxmox certificate changed', severity: 'error' },
  { id: 'agent-stale', kind: 'agent_stale', name: 'Agent stopped reporting' },
  { id: 'check-failed', kind: 'check', name: 'A check failed' },
];

// ---------------------------------------------------------------- channels

const emailAddress = lazySchema(() => z.string().trim().regex(/^[^\s@<>]+@[^\s@<>]+$/, 'an e-mail address like admin@example.org'));

export const emailChannelSchema = lazySchema(() => z
  .object({
    enabled: z.boolean().default(false),
    host: z.string().trim().max(253).default(''),
    port: portSchema.default(587),
    /** starttls: upgrade on 587; tls: implicit TLS on 465; none: plain (a relay on the LAN). */
    security: z.enum(['starttls', 'tls', 'none']).default('starttls'),
    user: z.string().trim().max(200).optional(),
    from: z.union([emailAddress, z.literal('')]).default(''),
    to: z.array(emailAddress).max(20, 'at most 20 recipients').default([]),
  })
  .strict()
  .superRefine((e, ctx) => {
    if (!e.enabled) return;
    if (!e.host) ctx.addIssue({ code: 'custom', path: ['host'], message: 'the SMTP server is required' });
    if (!e.from) ctx.addIssue({ code: 'custom', path: ['from'], message: 'a sender address is required' });
    if (e.to.length === 0) ctx.addIssue({ code: 'custom', path: ['to'], message: 'at least one recipient' });
  }));
export type EmailChannel = z.output<typeof emailChannelSchema>;

export const WEBHOOK_FORMATS = ['json', 'ntfy'] as const;
export const webhookChannelSchema = lazySchema(() => z
  .object({
    enabled: z.boolean().default(false),
    /** json: Rackdeck's own JSON body; ntfy: ntfy's JSON publish format (topic from the URL's path). */
    format: z.enum(WEBHOOK_FORMATS).default('json'),
  })
  .strict());
export type WebhookChannel = z.output<typeof webhookChannelSchema>;

const webhookUrlSchema = lazySchema(() => httpUrlSchema('https://ntfy.sh/my-topic'));

// ---------------------------------------------------------------- settings

export const retentionSchema = lazySchema(() => z
  .object({
    /** Minute buckets; at least a day so the day chart is always drawn from them. */
    minuteHours: z.number().int().min(24, 'at least 24 hours').max(168, 'at most 168 hours').default(24),
    halfHourDays: z.number().int().min(7, 'at least 7 days').max(60, 'at most 60 days').default(7),
    threeHourDays: z.number().int().min(31, 'at least 31 days').max(365, 'at most 365 days').default(31),
    dayDays: z.number().int().min(30, 'at least 30 days').max(3650, 'at most 10 years').default(366),
  })
  .strict());
export type Retention = z.output<typeof retentionSchema>;

const watts = lazySchema(() => z.number({ error: 'watts are a number' }).finite().min(0, 'cannot be negative').max(100_000));
export const wattsSchema = lazySchema(() => z.object({ idleWatts: watts, suspendedWatts: watts, offWatts: watts.optional() }).strict());

export const energySchema = lazySchema(() => z
  .object({
    default: wattsSchema.default({ idleWatts: 30, suspendedWatts: 3, offWatts: 1 }),
    /** Per server id; servers without an entry use the default. */
    servers: z.record(z.string().min(1), wattsSchema).default({}),
  })
  .strict());

export const serviceCheckSettingsSchema = lazySchema(() => z
  .object({
    enabled: z.boolean().default(true),
    intervalMs: z.number().int().min(5_000).max(86_400_000).default(300_000),
    /** Also look for the common ports (22, 80, 443, 3389, 5900, 8006, 9090, 8080, 8443). */
    commonPorts: z.boolean().default(true),
    timeoutMs: z.number().int().min(100).max(30_000).default(1_500),
  })
  .strict());

export const monitoringSettingsSchema = lazySchema(() => z
  .object({
    /** The metrics loop (60 s by default). */
    metricsIntervalMs: z.number().int().min(1_000).max(3_600_000).default(60_000),
    /** SSH metric polls in flight at once. */
    metricsConcurrency: z.number().int().min(1).max(64).default(8),
    /** How often history is appended to disk: the most a crash can lose. */
    flushIntervalMs: z.number().int().min(1_000).max(600_000).default(60_000),
    retention: retentionSchema.prefault({}),
    energy: energySchema.prefault({}),
    serviceChecks: serviceCheckSettingsSchema.prefault({}),
    alerts: z
      .object({
        rules: alertRulesSchema.default(() => alertRulesSchema.parse(DEFAULT_ALERT_RULES)),
        email: emailChannelSchema.prefault({}),
        webhook: webhookChannelSchema.prefault({}),
        channels: channelListSchema.default([]),
        maintenance: maintenanceListSchema.default([]),
        overrides: overridesSchema.default({}),
      })
      .strict()
      .prefault({}),
  })
  .strict());
export type MonitoringSettings = z.output<typeof monitoringSettingsSchema>;

// ---------------------------------------------------------------- views

/** The latest figures of a server plus the last hour of CPU for the card's sparkline. */
export interface LiveMetric {
  serverId: string;
  sample: MetricSample;
  /** [bucket start, CPU % or null] over the last hour, one per minute, oldest first. */
  spark?: Array<[number, number | null]>;
}

export interface LiveMetricsBatch {
  at: number;
  samples: Array<{ serverId: string; sample: MetricSample }>;
}

export interface MetricSeriesView extends MetricSeries {
  /** Older history was just filled in from Proxmox's own rrddata. */
  backfilled?: boolean;
}

export interface ServiceView {
  port: number;
  /** ssh, http, https, rdp, vnc, proxmox, cockpit… or the port number as text. */
  name: string;
  open: boolean;
  /** In the server's own port list (the admin's), not only discovered. */
  configured: boolean;
  /** Where the web UI is, when the port speaks HTTP(S). */
  url?: string;
  /** Connect time, ms, when open. */
  ms?: number;
}

export interface ServiceReport {
  serverId: string;
  checkedAt?: number;
  /** Why there are no results (the server is off, checks are disabled…). */
  note?: string;
  services: ServiceView[];
}

export interface UptimeWindow {
  label: string;
  report: UptimeReport;
  /** Watt-hours not drawn compared with leaving the server on at its idle draw. */
  savedWh: number;
}

export interface UptimeSummary {
  serverId: string;
  watts: WattageProfile;
  /** The server has its own wattage figures (not the default). */
  customWatts: boolean;
  windows: UptimeWindow[];
  /** The last power changes, newest first. */
  changes: PowerTransition[];
}

export interface AlertView {
  id: string;
  ruleId: string;
  ruleName: string;
  kind: AlertKind;
  severity: AlertSeverity;
  /** The server (or, for a certificate, the cluster) the alert is about. */
  subject: string;
  serverId?: string;
  serverName?: string;
  title: string;
  body: string;
  state: 'active' | 'resolved';
  startedAt: number;
  updatedAt: number;
  resolvedAt?: number;
  acknowledgedAt?: number;
  /** What the admin wrote when acknowledging it. */
  ackNote?: string;
  /** When it went to the rule's escalation channels; `silenced`: raised in a maintenance window, never sent. */
  escalatedAt?: number;
  silenced?: boolean;
  /** The figure that fired it (percent), for threshold kinds. */
  value?: number;
  /** When a notification about it last went out; absent: throttled or muted. */
  notifiedAt?: number;
}

export interface EmailChannelView extends EmailChannel {
  passwordSet: boolean;
}

export interface WebhookChannelView extends WebhookChannel {
  urlSet: boolean;
  /** Scheme and host of the stored URL (the rest may be a secret). */
  urlHint?: string;
}

export interface AlertConfigView {
  rules: AlertRule[];
  email: EmailChannelView;
  webhook: WebhookChannelView;
  /** Kinds and their labels, for the rule editor. */
  defaults: AlertRule[];
}

export interface MonitoringSettingsView {
  metricsIntervalMs: number;
  metricsConcurrency: number;
  flushIntervalMs: number;
  retention: Retention;
  energy: MonitoringSettings['energy'];
  serviceChecks: MonitoringSettings['serviceChecks'];
}

export interface ChannelTestResult {
  ok: boolean;
  detail: string;
}

// ---------------------------------------------------------------- channels of the contract

const id = lazySchema(() => z.string().min(1, 'a server id is required'));

const metrics = {
  /** A server's chart for a range; the first view of a Proxmox guest fills older history from rrddata. */
  series: request<MetricSeriesView>()(() => z.object({ id, range: historyRangeSchema }).strict()),
  /** The latest sample and last-hour CPU of every server (or those named): what the cards draw. */
  latest: request<LiveMetric[]>()(() => z.object({ ids: z.array(id).max(5000).optional() }).strict()),
  /** Open ports and web UIs; `refresh` checks now instead of returning the last result. */
  services: request<ServiceReport>()(() => z.object({ id, refresh: z.boolean().optional() }).strict()),
  uptime: request<UptimeSummary>()(() => z.object({ id }).strict()),
  settings: request<MonitoringSettingsView>()(() => z.object({}).strict()),
  setSettings: request<MonitoringSettingsView>()(
    () => z
      .object({
        metricsIntervalMs: monitoringSettingsSchema.shape.metricsIntervalMs.unwrap().optional(),
        metricsConcurrency: monitoringSettingsSchema.shape.metricsConcurrency.unwrap().optional(),
        flushIntervalMs: monitoringSettingsSchema.shape.flushIntervalMs.unwrap().optional(),
        retention: retentionSchema.partial().strict().optional(),
        serviceChecks: serviceCheckSettingsSchema.partial().strict().optional(),
        /** The default wattages, and per server: a profile, or null to use the default again. */
        energy: z.object({ default: wattsSchema.optional(), servers: z.record(z.string().min(1), wattsSchema.nullable()).optional() }).strict().optional(),
      })
      .strict(),
  ),
};

const alerts = {
  list: request<AlertView[]>()(() => z.object({ state: z.enum(['active', 'all']).optional(), serverId: id.optional(), limit: z.number().int().min(1).max(1000).optional() }).strict()),
  ack: request<AlertView>()(() => z.object({ id: z.string().min(1), note: z.string().trim().max(500, 'a note is at most 500 characters').optional() }).strict()),
  /** Acknowledges every active alert (of one server, when named); returns how many. */
  ackAll: request<{ acknowledged: number }>()(() => z.object({ serverId: id.optional() }).strict()),
  rules: request<AlertConfigView>()(() => z.object({}).strict()),
  setRules: request<AlertConfigView>()(() => z.object({ rules: alertRulesSchema }).strict()),
  /** Channel settings; `password` and `url` are secrets: a string sets, null removes, absent keeps. */
  setChannels: request<AlertConfigView>()(
    () => z
      .object({
        email: emailChannelSchema.optional(),
        password: z.string().max(1000).nullable().optional(),
        webhook: webhookChannelSchema.optional(),
        url: webhookUrlSchema.nullable().optional(),
      })
      .strict(),
  ),
  testChannel: request<ChannelTestResult>()(() => z.object({ channel: z.enum(['email', 'webhook']) }).strict()),
};

const actions = {
  /** The action log, oldest first; `limit` keeps the newest. */
  log: request<ActionLogEntry[]>()(() => actionFilterSchema),
  csv: request<{ csv: string; filename: string; count: number }>()(() => actionFilterSchema),
};

/** Three groups, added to the contract with one spread. */
export const monitoringContract = { metrics, alerts, actions };

export const monitoringEvents = {
  /** The latest sample of servers measured since the last batch (issue 6). */
  'metrics.live': event<LiveMetricsBatch>(),
  /** An alert fired, was acknowledged or resolved (issue 6). */
  'alerts.changed': event<AlertView>(),
};

export type { WattageProfile };

// Formatting shared by the faces lives in its own file; re-exported so callers keep one import.
export { figureOf, formatBytesShort, formatDuration, formatEnergy, formatRate, percentOf } from './monitoring-format';
