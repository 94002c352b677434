import * as z from 'zod';
import { Cron } from 'croner';
import { request } from '../ipc';
import { lazySchema } from './lazy';

/**
 * The alerts' policy beyond the rules (issue 18): maintenance windows that silence a server or a
 * group, and per-server overrides of a rule's threshold, grace or state. Kept in config.json
 * under `settings.monitoring.alerts` next to the rules, each with a default so older files read.
 */

/** A server, or every server in an admin-defined group (`ServerConfig.groups`). */
export const alertTargetSchema = lazySchema(() => z.union([z.object({ serverId: z.string().min(1) }).strict(), z.object({ group: z.string().trim().min(1).max(80) }).strict()]));
export type AlertTarget = z.output<typeof alertTargetSchema>;

const validZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

export const maintenanceWindowSchema = lazySchema(() => z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'an id is 1–40 lowercase letters, digits or dashes'),
    name: z.string().trim().min(1, 'a window needs a name').max(80),
    target: alertTargetSchema,
    /** One-off: from `start` to `end` (epoch ms). */
    start: z.number().int().min(0).optional(),
    end: z.number().int().min(0).optional(),
    /** Recurring: starts at each time of this cron expression (croner syntax) and lasts `durationMinutes`. */
    cron: z.string().trim().max(120).optional(),
    durationMinutes: z.number().int().min(1, 'at least a minute').max(10_080, 'at most a week').optional(),
    /** The cron expression's time zone (IANA); absent: the engine's. */
    timezone: z.string().trim().max(60).refine(validZone, 'an IANA time zone like Europe/Berlin').optional(),
  })
  .strict()
  .superRefine((w, ctx) => {
    const oneOff = w.start !== undefined || w.end !== undefined;
    if (oneOff === (w.cron !== undefined)) ctx.addIssue({ code: 'custom', path: ['cron'], message: 'a window is either one-off (start and end) or recurring (cron and duration)' });
    if (oneOff && (w.start === undefined || w.end === undefined || w.end <= w.start)) ctx.addIssue({ code: 'custom', path: ['end'], message: 'a one-off window ends after it starts' });
    if (w.cron !== undefined) {
      if (w.durationMinutes === undefined) ctx.addIssue({ code: 'custom', path: ['durationMinutes'], message: 'a recurring window needs a duration' });
      try {
        new Cron(w.cron, { paused: true, ...(w.timezone ? { timezone: w.timezone } : {}) }).stop();
      } catch (error) {
        ctx.addIssue({ code: 'custom', path: ['cron'], message: `not a cron expression: ${error instanceof Error ? error.message : String(error)}` });
      }
    }
  }));
export type MaintenanceWindow = z.output<typeof maintenanceWindowSchema>;

export const maintenanceListSchema = lazySchema(() => z.array(maintenanceWindowSchema).max(200, 'at most 200 windows'));

/** What a server may change of a rule: its threshold, its grace, or whether it applies at all. */
export const ruleOverrideSchema = lazySchema(() => z
  .object({
    enabled: z.boolean().optional(),
    threshold: z.number().min(1, 'a threshold is 1–100 %').max(100, 'a threshold is 1–100 %').optional(),
    forMinutes: z.number().min(0).max(1440).optional(),
  })
  .strict());
export type RuleOverride = z.output<typeof ruleOverrideSchema>;

/** Server id → rule id → override. */
export const overridesSchema = lazySchema(() => z.record(z.string().min(1), z.record(z.string().min(1), ruleOverrideSchema)));
export type RuleOverrides = z.output<typeof overridesSchema>;

export interface AlertPolicyView {
  maintenance: MaintenanceWindow[];
  overrides: RuleOverrides;
  /** Server id → until when it is in a maintenance window now. */
  inMaintenance: Record<string, number>;
}

export const alertPolicyContract = {
  get: request<AlertPolicyView>()(() => z.object({}).strict()),
  /** Replaces the maintenance windows and/or the per-server overrides (absent: kept). */
  set: request<AlertPolicyView>()(() => z.object({ maintenance: maintenanceListSchema.optional(), overrides: overridesSchema.optional() }).strict()),
};
