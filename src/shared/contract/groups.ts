import * as z from 'zod';
import { event, request } from '../ipc';
import { groupNameSchema, POWER_ACTIONS, type PowerAction } from '../server';
import { lazySchema } from './lazy';

/**
 * Groups, tags and bulk power actions (issue 17). A group is a name the admin gives servers
 * (`ServerConfig.groups`; a server may be in several); a tag comes from Proxmox (a guest's tags).
 * A bulk action is planned first (who, in which order, at what offset, who is skipped and why),
 * shown to the admin, then run by the engine: wakes staggered so machines do not draw their
 * inrush current at once, parents before children, Proxmox guests through their cluster's bulk
 * call where the cluster has one.
 */

/** A group or a tag with the servers in it (ids). */
export interface GroupSummary {
  name: string;
  members: string[];
}

export interface GroupsView {
  /** The admin's groups, by name. */
  groups: GroupSummary[];
  /** The tags Proxmox reports on guests, by name. */
  tags: GroupSummary[];
}

/** `settings.bulk` in config.json. */
export const bulkSettingsSchema = lazySchema(() => z.object({
  // Between two wakes of a bulk action: power supplies draw several times their rating while
  // machines spin up, so twelve at once can trip a breaker or a UPS.
  wakeSpacingMs: z.number().int('the delay is whole milliseconds').min(0, 'the delay is 0 to 600 000 ms').max(600_000, 'the delay is 0 to 600 000 ms').default(2_000),
}));
export type BulkSettings = z.output<typeof bulkSettingsSchema>;

const tagSchema = lazySchema(() => z.string().trim().min(1, 'a tag is required').max(64, 'a tag is at most 64 characters'));
const serverRef = lazySchema(() => z.string().trim().min(1, 'a server id or name is required'));

/** Which servers a bulk action is for: those matching every filter given. */
export const bulkTargetSchema = lazySchema(() => z
  .object({
    group: groupNameSchema.optional(),
    tag: tagSchema.optional(),
    /** Ids or names; with a group or tag, only those of them in it. */
    servers: z.array(serverRef).min(1, 'name at least one server').max(2000, 'at most 2000 servers at once').optional(),
  })
  .strict()
  .refine((t) => t.group !== undefined || t.tag !== undefined || t.servers !== undefined, 'name a group, a tag or servers'));
export type BulkTarget = z.output<typeof bulkTargetSchema>;

const bulkRequestSchema = lazySchema(() => z
  .object({
    action: z.enum(POWER_ACTIONS),
    target: bulkTargetSchema,
    /** This run's delay between wakes; the setting when absent. */
    spacingMs: bulkSettingsSchema.shape.wakeSpacingMs.unwrap().optional(),
  })
  .strict());

/** One server's part of a bulk action, in the order it is sent. */
export interface BulkStepView {
  serverId: string;
  name: string;
  /**
   * When it is sent, after the run starts (ms), at the earliest: wakes are spaced by the delay
   * (and one that goes out late pushes the next back, so the delay always holds), power-downs are not.
   */
  offsetMs: number;
  /** `host`: the server's own power command (magic packet, SSH, a guest's API call); `proxmox`: in its cluster's one bulk call. */
  via: 'host' | 'proxmox';
  /** Not selected, but added because a selected server under it needs it up (its name). */
  addedFor?: string;
  /** Servers (ids) that must have settled first: a parent goes down only after its children. */
  after?: string[];
}

export interface BulkSkipView {
  serverId: string;
  name: string;
  reason: string;
}

/** What a bulk action will do, for the confirmation; pure model output (power/bulk-plan.ts). */
export interface BulkPlanView {
  action: PowerAction;
  spacingMs: number;
  /** How many servers the target selected. */
  selected: number;
  steps: BulkStepView[];
  skipped: BulkSkipView[];
}

export type BulkStepStatus = 'pending' | 'sent' | 'failed' | 'cancelled';

export interface BulkRunView {
  id: string;
  action: PowerAction;
  startedAt: number;
  state: 'running' | 'done' | 'cancelled';
  plan: BulkPlanView;
  /** Per step, in the plan's order. */
  results: { serverId: string; status: BulkStepStatus; at?: number; error?: string }[];
}

const runId = lazySchema(() => z.object({ id: z.string().trim().min(1, 'a run id is required').max(64) }).strict());

export const groupsContract = {
  /** Every group and every Proxmox tag, with their members. */
  list: request<GroupsView>()(() => z.object({}).strict()),
  /** Puts servers in a group (made by its first member); servers already in it stay as they are. */
  add: request<GroupsView>()(() => z.object({ group: groupNameSchema, servers: z.array(serverRef).min(1, 'name at least one server').max(2000) }).strict()),
  /** Takes servers out of a group; without `servers`, every member (the group is gone). */
  remove: request<GroupsView>()(() => z.object({ group: groupNameSchema, servers: z.array(serverRef).min(1).max(2000).optional() }).strict()),
};

export const bulkContract = {
  /** What a bulk action would do now: the order, the offsets, who is skipped and why. Sends nothing. */
  plan: request<BulkPlanView>()(() => bulkRequestSchema),
  /** Plans again (the state may have moved since the confirmation) and runs it; returns at once. */
  run: request<BulkRunView>()(() => bulkRequestSchema),
  /** Stops a run: what was not sent yet is not sent. */
  cancel: request<BulkRunView>()(() => runId),
  /** Resolves once every step of the run was sent (or failed, or the run was cancelled). */
  wait: request<BulkRunView>()(() => runId),
  /** The runs of this engine, newest first. */
  runs: request<BulkRunView[]>()(() => z.object({}).strict()),
  settings: request<BulkSettings>()(() => z.object({}).strict()),
  setSettings: request<BulkSettings>()(() => z.object({ wakeSpacingMs: bulkSettingsSchema.shape.wakeSpacingMs.unwrap() }).strict()),
};

export const bulkEvents = {
  /** A bulk run moved: a step sent or failed, the run ended or was cancelled. */
  'bulk.run': event<BulkRunView>(),
};

export const BULK_VERB: Record<PowerAction, string> = { wake: 'Wake', suspend: 'Suspend', hibernate: 'Hibernate', shutdown: 'Shut down', reboot: 'Reboot' };
