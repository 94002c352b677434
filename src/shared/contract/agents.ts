import * as z from 'zod';
import { request } from '../ipc';
import { addressSchema, portSchema } from '../server';
import { lazySchema } from './lazy';

/**
 * VM health agents and the auto-reset watchdog (issue 8): the receiver's settings, the
 * per-agent keys, each server's health, the reset history and the watchdog's options.
 */
import type { HealthState } from '../health-labels';

export { HEALTH_LABELS, HEALTH_STATES, type HealthState } from '../health-labels';

/** One heartbeat's figures as the agent measured them. Sizes in bytes, times in seconds. */
export interface AgentFigures {
  hostname: string;
  vmid?: number;
  node?: string;
  cpuPercent: number;
  memUsedBytes: number;
  memTotalBytes: number;
  diskUsedBytes: number;
  diskTotalBytes: number;
  uptimeSeconds: number;
  /** The agent's own clock (Unix seconds); Rackdeck judges staleness by when the report arrived. */
  timestamp: number;
  agent?: string;
}

/** The watchdog's options for one server; every field has a default. */
export interface WatchOptions {
  autoReset: boolean;
  /** Resets allowed within `windowMs` before the watchdog gives up and asks for a human. */
  maxAttempts: number;
  windowMs: number;
  /** Wait after a reset before judging again: the guest needs time to boot and report. */
  cooldownMs: number;
  /** No heartbeat for this long means `down`. */
  staleMs: number;
}

export interface ResetRecord {
  id: string;
  serverId: string;
  at: number;
  source: 'auto' | 'manual';
  reason: string;
  ok: boolean;
  /** The task's final status as Proxmox reported it, or why no task ran. */
  taskStatus: string;
  upid?: string;
  finishedAt?: number;
}

export interface HealthView {
  serverId: string;
  state: HealthState;
  since: number;
  /** Why the state is what it is, in words for the badge's tooltip. */
  detail?: string;
  lastReportAt?: number;
  figures?: AgentFigures;
  options: WatchOptions;
  /** Resets in the current window, against `options.maxAttempts`. */
  attemptsInWindow: number;
  lastReset?: ResetRecord;
  /** Whether an active (not revoked) agent key exists for this server. */
  hasAgentKey: boolean;
}

export interface AgentKeyInfo {
  id: string;
  serverId: string;
  label?: string;
  createdAt: number;
  revokedAt?: number;
  lastUsedAt?: number;
}

/** Returned once when a key is created: the key itself is never shown again. */
export interface CreatedAgentKey {
  key: string;
  info: AgentKeyInfo;
  /** The agent's config file with this key filled in, for installing by hand. */
  config: string;
}

export interface ReceiverStatus {
  enabled: boolean;
  host: string;
  port: number;
  /** The URL agents are told to report to, when the bind address is not what they can reach. */
  publicUrl?: string;
  /** True only in a running Rackdeck (serve or desktop) whose listener is bound. */
  listening: boolean;
  url?: string;
  error?: string;
}

export interface InstallResult {
  serverId: string;
  keyId: string;
  scheduler: 'systemd' | 'cron';
  /** When the first heartbeat was seen by this Rackdeck (absent when only the agent's own run confirmed it). */
  heartbeatAt?: number;
  steps: string[];
}

const serverId = lazySchema(() => z.string().min(1, 'a server id is required'));
const reason = lazySchema(() => z
  .string({ error: 'a reason is required' })
  .trim()
  .min(3, 'a reason is at least 3 characters')
  .max(200, 'a reason is at most 200 characters'));
const minutes = (min: number, max: number) =>
  z.number().int(`a whole number of minutes from ${min} to ${max}`).min(min, `at least ${min} minutes`).max(max, `at most ${max} minutes`);
const publicUrl = lazySchema(() => z
  .string()
  .trim()
  .max(300)
  .regex(/^https?:\/\/[A-Za-z0-9.:[\]-]+(?::\d{1,5})?\/?$/, 'a URL like http://192.168.1.10:7374 (scheme, host and port only)'));

export const receiverSettingsSchema = lazySchema(() => z.object({
  host: addressSchema.default('127.0.0.1'),
  port: portSchema.default(7374),
  publicUrl: publicUrl.optional(),
}));

export const agentsContract = {
  receiverStatus: request<ReceiverStatus>()(() => z.object({}).strict()),
  enableReceiver: request<ReceiverStatus>()(() => receiverSettingsSchema.strict()),
  disableReceiver: request<ReceiverStatus>()(() => z.object({}).strict()),
  /** The key is in the answer once and never again. */
  createKey: request<CreatedAgentKey>()(
    () => z.object({ serverId, label: z.string().trim().max(80, 'a label is at most 80 characters').optional() }).strict(),
  ),
  /** Revokes one key by id, or every active key of a server. */
  revokeKey: request<{ revoked: string[] }>()(
    () => z
      .object({ keyId: z.string().min(1).optional(), serverId: serverId.optional() })
      .strict()
      .refine((v) => (v.keyId === undefined) !== (v.serverId === undefined), 'give either keyId or serverId'),
  ),
  listKeys: request<AgentKeyInfo[]>()(() => z.object({ serverId: serverId.optional() }).strict()),
  health: request<HealthView>()(() => z.object({ id: serverId }).strict()),
  healthAll: request<HealthView[]>()(() => z.object({}).strict()),
  resets: request<ResetRecord[]>()(() => z.object({ id: serverId, limit: z.number().int().min(1).max(500).optional() }).strict()),
  /** A human asks for a reset: always recorded, never counted against the watchdog's limit. */
  reset: request<ResetRecord>()(() => z.object({ id: serverId, reason }).strict()),
  setWatch: request<HealthView>()(
    () => z
      .object({
        id: serverId,
        autoReset: z.boolean().optional(),
        maxAttempts: z.number().int('a whole number from 1 to 10').min(1, 'at least 1').max(10, 'at most 10').optional(),
        windowMinutes: minutes(5, 1440).optional(),
        cooldownMinutes: minutes(1, 240).optional(),
        staleMinutes: minutes(1, 120).optional(),
      })
      .strict(),
  ),
  install: request<InstallResult>()(() => z.object({ id: serverId, url: publicUrl.optional() }).strict()),
  uninstall: request<{ serverId: string; revoked: string[] }>()(() => z.object({ id: serverId }).strict()),
};
