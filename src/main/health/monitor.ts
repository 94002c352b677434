import { randomUUID } from 'node:crypto';
import type { AgentFigures, HealthState, HealthView, ResetRecord, WatchOptions } from '../../shared/contract/agents';
import type { NoticeLevel } from '../../shared/events';
import type { Clock } from '../base/clock';
import { mapLimit } from '../base/concurrency';
import { HandlerError } from '../base/errors';
import type { Logger } from '../base/logger';
import { createLoop, type Loop } from '../base/loop';
import { autoAttemptsInWindow, lastReset } from './history';
import type { MetricSample } from '../../shared/metrics';
import type { GuestPower, ResetOutcome } from './hooks';
import { DEFAULT_THRESHOLDS, watchOptions, type HealthThresholds } from './options';
import { assessHealth, type Assessment, type HealthRecord } from './state';
import { decideWatchdog, deliberateReason, isMassSilence, type EngineSideView, type WatchdogDecision } from './watchdog';

/** Where options, resets and the "needs a human" latch are kept (health.json in the app). */
export interface HealthPersistence {
  refresh?(): void;
  watch(serverId: string): Partial<WatchOptions>;
  setWatch(serverId: string, patch: Partial<WatchOptions>): void;
  resets(serverId: string): readonly ResetRecord[];
  addReset(record: ResetRecord): void;
  updateReset(record: ResetRecord): void;
  needsHuman(serverId: string): number | undefined;
  setNeedsHuman(serverId: string, since: number | undefined): void;
}

export interface HealthNotice {
  level: NoticeLevel;
  title: string;
  body: string;
  serverId: string;
}

export interface MonitorDeps {
  clock: Clock;
  log: Logger;
  store: HealthPersistence;
  /** Ids of the servers in the inventory, and their names for notices. */
  serverIds(): readonly string[];
  serverName(serverId: string): string | undefined;
  engineView(serverId: string): EngineSideView | undefined;
  /** Proxmox's view of the guest; `undefined` when it is not a guest Rackdeck can drive. */
  getGuestPower(serverId: string): Promise<GuestPower | undefined>;
  /** Resets the guest and follows its task to the end. */
  resetGuest(serverId: string, reason: string): Promise<ResetOutcome>;
  notify(notice: HealthNotice): void;
  emit?(view: HealthView): void;
  /** Since when heartbeats can arrive (the receiver is bound), or undefined when they cannot. */
  listeningSince(): number | undefined;
  hasAgentKey(serverId: string): boolean;
  /** Feeds the metrics history, so agent figures draw the same charts as other sources. */
  recordSample?(serverId: string, sample: MetricSample): void;
  thresholds?: HealthThresholds;
  /** How often the watchdog looks (default 30 s). */
  intervalMs?: number;
}

interface Live {
  lastReportAt?: number;
  figures?: AgentFigures;
  deliberateAt?: number;
}

interface Shown extends Assessment {
  since: number;
}

/**
 * The watchdog runner: keeps each server's heartbeat, turns it into a health state, and on its
 * loop resets hung guests through the injected Proxmox control, within the attempt budget, never
 * during a deliberate power-down, and asks for a human when resets do not help. Every decision
 * is made by the pure functions in state.ts and watchdog.ts.
 */
export class HealthMonitor {
  private live = new Map<string, Live>();
  private shown = new Map<string, Shown>();
  private inFlight = new Map<string, Promise<ResetRecord>>();
  private massHeld = false;
  private readonly loop: Loop;

  constructor(private readonly deps: MonitorDeps) {
    this.loop = createLoop('watchdog', deps.intervalMs ?? 30_000, () => this.tick(), deps);
  }

  start(): void {
    this.loop.start();
  }

  stop(): void {
    this.loop.stop();
  }

  /** Resolves when every reset started so far has finished (for tests and orderly shutdown). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight.values()]);
  }

  private options(serverId: string): WatchOptions {
    return watchOptions(this.deps.store.watch(serverId));
  }

  private record(serverId: string): HealthRecord {
    const live = this.live.get(serverId);
    const needsHuman = this.deps.store.needsHuman(serverId);
    return {
      serverId,
      resets: this.deps.store.resets(serverId),
      ...(live?.lastReportAt !== undefined ? { lastReportAt: live.lastReportAt } : {}),
      ...(live?.figures ? { figures: live.figures } : {}),
      ...(needsHuman !== undefined ? { needsHumanSince: needsHuman } : {}),
    };
  }

  private assess(serverId: string, now = this.deps.clock.now()): Assessment {
    return assessHealth(this.record(serverId), {
      now,
      options: this.options(serverId),
      thresholds: this.deps.thresholds ?? DEFAULT_THRESHOLDS,
      listeningSince: this.deps.listeningSince(),
    });
  }

  view(serverId: string): HealthView {
    const now = this.deps.clock.now();
    const a = this.assess(serverId, now);
    const shown = this.shown.get(serverId);
    const record = this.record(serverId);
    const options = this.options(serverId);
    const last = lastReset(record.resets);
    return {
      serverId,
      state: a.state,
      since: shown && shown.state === a.state ? shown.since : now,
      ...(a.detail ? { detail: a.detail } : {}),
      ...(record.lastReportAt !== undefined ? { lastReportAt: record.lastReportAt } : {}),
      ...(record.figures ? { figures: record.figures } : {}),
      options,
      attemptsInWindow: autoAttemptsInWindow(record.resets, now, options.windowMs),
      ...(last ? { lastReset: last } : {}),
      hasAgentKey: this.deps.hasAgentKey(serverId),
    };
  }

  views(): HealthView[] {
    return this.deps.serverIds().map((id) => this.view(id));
  }

  resets(serverId: string, limit = 100): ResetRecord[] {
    return [...this.deps.store.resets(serverId)].reverse().slice(0, limit);
  }

  /** A valid heartbeat arrived (the receiver checked key and body). */
  report(serverId: string, figures: AgentFigures): HealthView {
    const now = this.deps.clock.now();
    const live = this.live.get(serverId) ?? {};
    this.live.set(serverId, { ...live, lastReportAt: now, figures });
    // A heartbeat is the best proof that a human is no longer needed.
    if (this.deps.store.needsHuman(serverId) !== undefined) this.deps.store.setNeedsHuman(serverId, undefined);
    this.deps.recordSample?.(serverId, {
      t: now,
      cpu: figures.cpuPercent,
      memUsed: figures.memUsedBytes,
      memTotal: figures.memTotalBytes,
      diskUsed: figures.diskUsedBytes,
      diskTotal: figures.diskTotalBytes,
    });
    // Every heartbeat reaches the faces (its figures and time are news even when the state is not).
    if (!this.publish(serverId, now)) this.deps.emit?.(this.view(serverId));
    return this.view(serverId);
  }

  /** The admin or Rackdeck itself is powering the server down or otherwise on purpose. */
  noteDeliberate(serverId: string, at = this.deps.clock.now()): void {
    const live = this.live.get(serverId) ?? {};
    this.live.set(serverId, { ...live, deliberateAt: at });
  }

  setWatch(serverId: string, patch: Partial<WatchOptions>): HealthView {
    this.deps.store.setWatch(serverId, patch);
    // Re-arming auto-reset is a human's answer to "needs a human".
    if (patch.autoReset === true) this.deps.store.setNeedsHuman(serverId, undefined);
    this.publish(serverId);
    return this.view(serverId);
  }

  /** Sends the current view even if the state did not change (a key was created or revoked). */
  touch(serverId: string): void {
    this.deps.emit?.(this.view(serverId));
  }

  /** Forgets the live state of a server that left the inventory. */
  forget(serverId: string): void {
    this.live.delete(serverId);
    this.shown.delete(serverId);
  }

  /** A human asked for a reset: refused only while a power action is in progress. */
  async manualReset(serverId: string, reason: string): Promise<ResetRecord> {
    const view = this.deps.engineView(serverId);
    if (view?.transitioning) throw new HandlerError('conflict', `A power action is in progress (${view.power}); wait for it to finish before resetting.`);
    if (this.inFlight.has(serverId)) throw new HandlerError('conflict', 'A reset of this server is already in progress.');
    this.deps.store.setNeedsHuman(serverId, undefined);
    return this.runReset(serverId, 'manual', reason);
  }

  /** One pass of the watchdog over every server. */
  async tick(): Promise<void> {
    this.deps.store.refresh?.();
    const now = this.deps.clock.now();
    const ids = this.deps.serverIds();
    const known = new Set(ids);
    for (const id of this.live.keys()) if (!known.has(id)) this.forget(id);

    const candidates: { id: string; decision: WatchdogDecision }[] = [];
    let reporting = 0;
    await mapLimit(ids, 16, async (id) => {
      const assessment = this.assess(id, now);
      if (assessment.state !== 'unknown') reporting++;
      this.publish(id, now, assessment);
      if (assessment.state !== 'down') return;
      const options = this.options(id);
      const record = this.record(id);
      // Proxmox is asked only about guests the watchdog might act on: one call per down guest.
      let guest: GuestPower | undefined;
      if (options.autoReset) {
        try {
          guest = await this.deps.getGuestPower(id);
        } catch (error) {
          this.deps.log.warn(`watchdog: could not ask Proxmox about ${id}: ${error instanceof Error ? error.message : String(error)}`);
          guest = { status: 'unknown' };
        }
      }
      const decision = decideWatchdog({
        now,
        record,
        state: assessment.state,
        options,
        guest,
        view: this.deps.engineView(id),
        deliberateAt: this.live.get(id)?.deliberateAt,
        massSilence: false,
        resetInFlight: this.inFlight.has(id),
      });
      candidates.push({ id, decision });
    });

    const acting = candidates.filter((c) => c.decision.action !== 'none');
    if (isMassSilence(acting.length, reporting)) {
      if (!this.massHeld) {
        this.massHeld = true;
        this.deps.log.warn(`watchdog: ${acting.length} guests went silent at once; holding auto-resets`);
        this.deps.notify({
          level: 'warning',
          title: `${acting.length} agents went silent at once`,
          body: 'That looks like a network problem between Rackdeck and the guests, not hung guests, so auto-reset is on hold until some report again.',
          serverId: acting[0]?.id ?? '',
        });
      }
      return;
    }
    this.massHeld = false;

    for (const { id, decision } of acting) {
      if (decision.action === 'give_up') this.giveUp(id, decision.reason, now);
      else if (decision.action === 'reset') {
        void this.runReset(id, 'auto', decision.reason).catch((error: unknown) => {
          this.deps.log.error(`watchdog: reset of ${id} failed`, error);
        });
      }
    }
  }

  private giveUp(serverId: string, reason: string, now: number): void {
    this.deps.store.setNeedsHuman(serverId, now);
    this.deps.log.warn(`watchdog: giving up on ${serverId}: ${reason}`);
    this.deps.notify({
      level: 'error',
      title: `${this.name(serverId)} needs a human`,
      body: `${reason}. Auto-reset stopped for it; look at its console, then reset it by hand or re-enable auto-reset.`,
      serverId,
    });
    this.publish(serverId, now);
  }

  private runReset(serverId: string, source: ResetRecord['source'], reason: string): Promise<ResetRecord> {
    const started = this.deps.clock.now();
    const record: ResetRecord = { id: randomUUID(), serverId, at: started, source, reason, ok: false, taskStatus: 'running' };
    // Written before the task runs, so an attempt counts even if Rackdeck dies during it.
    this.deps.store.addReset(record);
    this.publish(serverId, started);
    if (source === 'auto') {
      this.deps.notify({ level: 'warning', title: `Resetting ${this.name(serverId)}`, body: reason, serverId });
    }
    const run = (async () => {
      let outcome: ResetOutcome;
      try {
        outcome = await this.deps.resetGuest(serverId, reason);
      } catch (error) {
        outcome = { ok: false, taskStatus: error instanceof Error ? error.message : String(error) };
      }
      const done: ResetRecord = {
        ...record,
        ok: outcome.ok,
        taskStatus: outcome.taskStatus,
        ...(outcome.upid ? { upid: outcome.upid } : {}),
        finishedAt: this.deps.clock.now(),
      };
      this.deps.store.updateReset(done);
      if (!outcome.ok) {
        this.deps.notify({ level: 'error', title: `Reset of ${this.name(serverId)} failed`, body: outcome.taskStatus, serverId });
      }
      this.publish(serverId);
      return done;
    })();
    this.inFlight.set(serverId, run);
    void run.finally(() => this.inFlight.delete(serverId)).catch(() => undefined);
    return run;
  }

  /** Emits the view when the state changed, with the notices a change deserves; true when it emitted. */
  private publish(serverId: string, now = this.deps.clock.now(), assessment = this.assess(serverId, now)): boolean {
    const prev = this.shown.get(serverId);
    if (prev && prev.state === assessment.state && prev.detail === assessment.detail) return false;
    this.shown.set(serverId, { ...assessment, since: prev && prev.state === assessment.state ? prev.since : now });
    if (prev && prev.state !== assessment.state) this.noticeFor(serverId, prev.state, assessment);
    this.deps.emit?.(this.view(serverId));
    return true;
  }

  private noticeFor(serverId: string, from: HealthState, to: Assessment): void {
    const name = this.name(serverId);
    const wasBad = from === 'down' || from === 'reset_pending' || from === 'reset_failed';
    if ((to.state === 'healthy' || to.state === 'warning') && wasBad) {
      const afterReset = from === 'reset_pending' || from === 'reset_failed';
      this.deps.notify({ level: 'success', title: `${name} is reporting again`, body: afterReset ? 'Its agent came back after the reset.' : 'Its agent is sending heartbeats again.', serverId });
      return;
    }
    if (to.state === 'down' && (from === 'healthy' || from === 'warning')) {
      // A guest shut down on purpose falls silent as it should; only an unexplained silence is news.
      const view = this.deps.engineView(serverId);
      if (view && view.power !== 'on' && view.power !== 'unknown') return;
      const deliberate = deliberateReason({ now: this.deps.clock.now(), guest: undefined, view, deliberateAt: this.live.get(serverId)?.deliberateAt });
      if (deliberate) return;
      this.deps.notify({ level: 'warning', title: `${name} stopped reporting`, body: to.detail ?? 'No heartbeat from its agent.', serverId });
    }
  }

  private name(serverId: string): string {
    return this.deps.serverName(serverId) ?? serverId;
  }
}
