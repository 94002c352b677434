import {
  POWER_DOWN_ACTIONS,
  type AutomationRun,
  type AutomationSettings,
  type IdlePolicy,
  type IdleView,
  type NextView,
  type Schedule,
  type ScheduleAction,
  type ScheduleInput,
  type ScheduleView,
} from '../../shared/contract/automation';
import type { ActionResult } from '../../shared/metrics';
import type { ServerConfig } from '../../shared/server';
import { notFound } from '../base/errors';
import { createLoop, type Loop } from '../base/loop';
import * as book from './book';
import { skipReasons } from './conditions';
import { idleStep, type IdleTrack } from './idle';
import { observe } from './observe';
import { dueSchedules, recentRuns, upcoming } from './plan';
import type { AutomationHost, AutomationTuning } from './ports';
import { membersOf } from './targets';
import { readWhen } from './when';

const DAY = 86_400_000;
const ASLEEP = new Set(['off', 'suspended', 'stopped']);
const IDLE_CONDITIONS = { sshLogins: true, guestsRunning: true, backupRunning: true } as const;

/**
 * Schedules and idle auto-suspend (issue 17), an engine part: one loop on the engine's clock
 * looks for schedules that fell due since its last look and, every minute, at the servers with
 * an idle policy. Each run on each server is kept (for the next-24-h view) and written to the
 * action log with its reason; a power-down that a condition forbids is skipped and says why.
 */
export class AutomationService {
  private loop: Loop | undefined;
  private lastCheck = 0;
  private lastIdleCheck = Number.NEGATIVE_INFINITY;
  private readonly tracks = new Map<string, IdleTrack>();
  private runs: AutomationRun[] = [];
  private ticking: Promise<void> = Promise.resolve();
  private readonly tuning: Required<AutomationTuning>;

  constructor(
    private readonly host: AutomationHost,
    tuning: AutomationTuning = {},
  ) {
    this.tuning = { tickMs: 15_000, idleCheckMs: 60_000, figureMaxAgeMs: 300_000, graceMs: 600_000, ...tuning };
  }

  private get settings(): AutomationSettings {
    return this.host.settings.read();
  }

  private now(): number {
    return this.host.clock.now();
  }

  start(): void {
    if (this.loop) return;
    // Run times missed while no engine ran are not caught up: the count starts now.
    this.lastCheck = this.now();
    // A schedule edited by hand in config.json into something unreadable is kept as written, and said.
    for (const s of this.settings.schedules) {
      const when = readWhen(s.when, s.timezone);
      if (!when.ok) this.host.notify({ level: 'warning', title: `Schedule ${s.name ? `"${s.name}"` : s.id} will not run`, body: `${when.error}. Fix it in config.json, or remove it and add it again.` });
    }
    this.loop = createLoop('automation', this.tuning.tickMs, () => this.tick(), { clock: this.host.clock, log: this.host.log });
    this.loop.start();
  }

  stop(): void {
    this.loop?.stop();
    this.loop = undefined;
  }

  /**
   * One look: schedules due since the last one, then (every idleCheckMs) the idle servers. Looks
   * run one after the other (the loop's and a test's or a face's), so a run time is seen once.
   */
  tick(): Promise<void> {
    const next = this.ticking.then(() => this.look());
    this.ticking = next.catch(() => undefined);
    return next;
  }

  private async look(): Promise<void> {
    const now = this.now();
    const after = Math.max(this.lastCheck, now - this.tuning.graceMs);
    this.lastCheck = now;
    for (const { schedule, at } of dueSchedules(this.settings.schedules, after, now)) await this.runSchedule(schedule, at);
    if (now - this.lastIdleCheck >= this.tuning.idleCheckMs) {
      this.lastIdleCheck = now;
      await this.checkIdle();
    }
  }

  // ------------------------------------------------------------------ schedules

  schedules(): ScheduleView[] {
    const now = this.now();
    return this.settings.schedules.map((s) => book.scheduleView(s, now));
  }

  addSchedule(input: ScheduleInput): ScheduleView {
    const { next, schedule } = book.addSchedule(this.settings, input, this.host.servers(), `sch-${globalThis.crypto.randomUUID().slice(0, 8)}`);
    this.host.settings.write(next);
    return book.scheduleView(schedule, this.now());
  }

  removeSchedule(id: string): { removed: string } {
    this.host.settings.write(book.removeSchedule(this.settings, id));
    return { removed: id };
  }

  next(hours = 24): NextView {
    const from = this.now();
    const until = from + hours * 3_600_000;
    return { from, until, upcoming: upcoming(this.settings.schedules, this.host.servers(), from, until), recent: recentRuns(this.runs, from, hours * 3_600_000) };
  }

  /** Every run kept (the last day's), newest first. */
  recent(): AutomationRun[] {
    return recentRuns(this.runs, this.now(), DAY);
  }

  private async runSchedule(schedule: Schedule, at: number): Promise<void> {
    const members = membersOf(schedule.target, this.host.servers());
    await Promise.all(
      members.map(async (server) => {
        const reason = await this.whyNot(server, schedule);
        const base = { source: 'schedule' as const, scheduleId: schedule.id, ...(schedule.name ? { scheduleName: schedule.name } : {}), at };
        if (reason) return this.record({ ...base, serverId: server.id, serverName: server.name, action: schedule.action, outcome: 'skipped', reason });
        this.act(server, schedule.action, base);
      }),
    );
  }

  /** Why this schedule's action is not for this server now, or undefined. */
  private async whyNot(server: ServerConfig, schedule: Schedule): Promise<string | undefined> {
    const state = this.host.power(server.id)?.state ?? 'unknown';
    if (schedule.action === 'wake' && state === 'on') return 'it is already on';
    if (!POWER_DOWN_ACTIONS.has(schedule.action)) return undefined;
    // Asleep already: a power command has nothing to do; a desired state is still worth setting.
    if (ASLEEP.has(state)) return schedule.action.startsWith('desired-') ? undefined : `it is already ${state}`;
    const o = await observe(this.host, server, schedule.conditions, this.tuning.figureMaxAgeMs);
    const reasons = skipReasons(o, schedule.conditions);
    return reasons.length > 0 ? reasons.join('; ') : undefined;
  }

  /** Carries out one action on one server and records it. */
  private act(server: ServerConfig, action: ScheduleAction, base: Pick<AutomationRun, 'source' | 'at' | 'scheduleId' | 'scheduleName'>, reason?: string): boolean {
    try {
      if (action.startsWith('desired-')) {
        const desired = action.slice('desired-'.length);
        this.host.setDesired(server.id, desired === 'clear' ? null : (desired as 'on' | 'off' | 'suspended'));
      } else {
        this.host.run(server.id, action as 'wake' | 'suspend' | 'hibernate' | 'shutdown');
      }
      this.record({ ...base, serverId: server.id, serverName: server.name, action, outcome: 'done', ...(reason ? { reason } : {}) });
      return true;
    } catch (error) {
      this.record({ ...base, serverId: server.id, serverName: server.name, action, outcome: 'failed', reason: error instanceof Error ? error.message : String(error) });
      return false;
    }
  }

  private record(run: AutomationRun): void {
    this.runs = recentRuns([run, ...this.runs], this.now(), DAY, 2000);
    const what = run.source === 'schedule' ? `schedule ${run.scheduleName ? `"${run.scheduleName}"` : run.scheduleId}` : 'idle auto-suspend';
    const result: ActionResult = run.outcome === 'done' ? 'ok' : run.outcome;
    this.host.logAction({
      at: this.now(),
      kind: 'automation',
      action: run.action,
      serverId: run.serverId,
      serverName: run.serverName.slice(0, 200),
      face: 'engine',
      result,
      detail: `${what}${run.reason ? `: ${run.reason}` : ''}`.slice(0, 2000),
    });
  }

  // ------------------------------------------------------------------ idle auto-suspend

  idle(): IdleView[] {
    const s = this.settings;
    return s.idle.map((p) => {
      const track = this.tracks.get(p.serverId) ?? {};
      const until = s.keepAwake[p.serverId];
      return {
        ...p,
        serverName: this.host.find(p.serverId)?.name ?? p.serverId,
        ...(track.idleSince !== undefined ? { idleSince: track.idleSince } : {}),
        ...(track.busy ? { busy: track.busy } : {}),
        ...(until !== undefined && until > this.now() ? { keepAwakeUntil: until } : {}),
      };
    });
  }

  setIdle(policy: IdlePolicy): IdleView {
    const server = this.require(policy.serverId);
    this.host.settings.write(book.setIdle(this.settings, { ...policy, serverId: server.id }));
    this.tracks.delete(server.id);
    return this.idle().find((v) => v.serverId === server.id) as IdleView;
  }

  removeIdle(ref: string): { removed: string } {
    const id = this.host.find(ref)?.id ?? ref;
    this.host.settings.write(book.removeIdle(this.settings, id));
    this.tracks.delete(id);
    return { removed: id };
  }

  /** Holds idle auto-suspend off a server for `minutes`, and wakes it when it sleeps. */
  keepAwake(ref: string, minutes = 120): { serverId: string; until: number } {
    const server = this.require(ref);
    const now = this.now();
    const until = now + minutes * 60_000;
    this.host.settings.write(book.holdAwake(this.settings, server.id, until, now));
    const state = this.host.power(server.id)?.state;
    if (state && ASLEEP.has(state)) this.host.run(server.id, 'wake');
    return { serverId: server.id, until };
  }

  /** A server was removed: what named it goes. */
  forget(id: string): void {
    this.tracks.delete(id);
    const s = this.settings;
    const next = book.forgetServer(s, id);
    if (JSON.stringify(next) !== JSON.stringify(s)) this.host.settings.write(next);
  }

  /** One look at every server with an idle policy. */
  async checkIdle(): Promise<void> {
    const s = this.settings;
    await Promise.all(s.idle.map((p) => this.checkOne(p, s.keepAwake[p.serverId])));
  }

  private async checkOne(p: IdlePolicy, keepAwakeUntil: number | undefined): Promise<void> {
    const server = this.host.find(p.serverId);
    if (!server) return;
    const power = this.host.power(server.id);
    const state = power?.state ?? 'unknown';
    const conditions = { ...IDLE_CONDITIONS, cpuAbovePct: p.cpuBelowPct, netAboveMbps: p.netBelowMbps };
    const o = p.enabled && state === 'on' ? await observe(this.host, server, conditions, this.tuning.figureMaxAgeMs) : undefined;
    const now = this.now();
    const { track, fire } = idleStep(this.tracks.get(server.id) ?? {}, o, p, {
      now,
      power: state,
      ...(power && state === 'on' ? { onSince: power.since } : {}),
      ...(keepAwakeUntil !== undefined ? { keepAwakeUntil } : {}),
    });
    this.tracks.set(server.id, fire ? {} : track);
    if (!fire) return;
    const why = `idle for ${p.idleMinutes} min: CPU below ${p.cpuBelowPct} %, network below ${p.netBelowMbps} Mb/s, nobody logged in, no guest running`;
    if (!this.act(server, p.action, { source: 'idle', at: now }, why)) return;
    this.host.notify({
      level: 'info',
      title: `${server.name} was idle: ${p.action === 'shutdown' ? 'shutting down' : p.action === 'hibernate' ? 'hibernating' : 'suspending'}`,
      body: `It was ${why}. To keep it awake for 2 h: rackdeck keep-awake "${server.name}"`,
      serverId: server.id,
      keepAwake: { serverId: server.id, minutes: 120 },
    });
  }

  private require(ref: string): ServerConfig {
    const server = this.host.find(ref);
    if (!server) throw notFound(`Server "${ref}"`);
    return server;
  }
}
