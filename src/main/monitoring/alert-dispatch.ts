import type { AlertKind, AlertView, ChannelTestResult } from '../../shared/contract/monitoring';
import { notFound } from '../base/errors';
import type { AlertBook, AlertChange } from './alerts/book';
import { escalationsDue } from './alerts/escalation';
import { AlertEvaluator, type AlertPolicy, type ConditionInput } from './alerts/evaluator';
import { maintenanceFor } from './alerts/maintenance';
import { ChannelDelivery } from './channel-delivery';
import { outgoingOf } from './channels/message';
import type { MonitoringContext } from './context';
import { maxGapFor } from './settings';

/** Kinds whose notice the engine already raises itself (power, Proxmox, health): the alert adds the channels and the list. */
const ENGINE_TELLS: ReadonlySet<AlertKind> = new Set(['wake_failed', 'task_failed', 'host_key', 'certificate', 'agent_stale']);

/**
 * The alerts' side of the monitoring: the book (read from its file on first use, written soon
 * after a change) and the evaluator, and what each change becomes: the `alerts.changed` event,
 * a notice unless the engine raised one itself, then the channels the rule routes it to. `tick`
 * (on the engine's clock) fires the event conditions whose grace is over, escalates what nobody
 * acknowledged in time and sends the digests that are due. Deciding is the models'; this sequences.
 */
export class AlertDispatch {
  private bookImpl: AlertBook | undefined;
  private evaluatorImpl: AlertEvaluator | undefined;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  /** Servers in a maintenance window at the last look: a change redraws their cards. */
  private maintained = new Map<string, number>();
  readonly channels: ChannelDelivery;

  constructor(private readonly ctx: MonitoringContext) {
    this.channels = new ChannelDelivery(ctx);
  }

  get book(): AlertBook {
    const { engine, ports } = this.ctx;
    this.bookImpl ??= ports.alertsFile.load((m) => engine.log.warn(m), engine.clock.now());
    return this.bookImpl;
  }

  get evaluator(): AlertEvaluator {
    if (!this.evaluatorImpl) {
      const s = this.ctx.settings();
      this.evaluatorImpl = new AlertEvaluator(this.book, s.alerts.rules, maxGapFor(s));
      this.evaluatorImpl.setPolicy(this.policy());
    }
    return this.evaluatorImpl;
  }

  /** The overrides and maintenance windows as the settings hold them at each question. */
  private policy(): AlertPolicy {
    const { ctx } = this;
    return {
      get overrides() {
        return ctx.settings().alerts.overrides;
      },
      inMaintenance: (serverId, at) => this.maintenanceUntil(serverId, at) !== undefined,
    };
  }

  /** Until when a server is in a maintenance window, if it is now. */
  maintenanceUntil(serverId: string, at = this.ctx.engine.clock.now()): number | undefined {
    const server = this.ctx.engine.find(serverId);
    const windows = this.ctx.settings().alerts.maintenance;
    if (windows.length === 0) return undefined;
    return maintenanceFor(windows, { id: serverId, groups: server ? (server as { groups?: unknown }).groups : undefined }, at)?.until;
  }

  /** A condition the engine reported (down, host key, wake, task, certificate, agent) through its rule. */
  condition(kind: AlertKind, input: ConditionInput, engineTold = ENGINE_TELLS.has(kind)): void {
    this.dispatch(this.evaluator.condition(kind, input), engineTold);
  }

  dispatch(changes: AlertChange[], engineTold?: boolean): void {
    if (changes.length === 0) return;
    const { engine } = this.ctx;
    for (const change of changes) {
      engine.events.emit('alerts.changed', change.alert);
      if (!change.notify || change.kind === 'acknowledged') continue;
      const a = change.alert;
      const told = engineTold ?? ENGINE_TELLS.has(a.kind);
      if (change.kind !== 'resolved' && !told) {
        engine.notify({ level: a.severity === 'error' ? 'error' : 'warning', title: a.title, body: a.body, ...(a.serverId ? { serverId: a.serverId } : {}) });
      }
      const rule = this.evaluator.currentRules.find((r) => r.id === a.ruleId);
      void this.channels.send(outgoingOf(a, change.kind, change.message), rule);
    }
    this.saveSoon();
  }

  /** Grace periods over, escalations due, digests due: one pass, on the engine's clock. */
  async tick(): Promise<void> {
    const now = this.ctx.engine.clock.now();
    this.dispatch(this.evaluator.tick(now));
    const due = escalationsDue(this.book.activeAlerts(), this.evaluator.currentRules, now);
    const jobs: Promise<void>[] = [];
    for (const { alert, channels } of due) {
      const escalated = this.book.markEscalated(alert.id, now);
      if (!escalated) continue;
      this.ctx.engine.events.emit('alerts.changed', escalated);
      const minutes = Math.round((now - alert.startedAt) / 60_000);
      jobs.push(this.channels.sendTo(channels, { ...outgoingOf(escalated, 'fired'), event: 'escalated', at: now, body: `${alert.body}\n\nNot acknowledged after ${minutes} min.` }));
    }
    if (due.length) this.saveSoon();
    this.redrawMaintained(now);
    jobs.push(this.channels.flushDigests());
    await Promise.all(jobs);
  }

  /** Cards whose "in maintenance until" appeared, changed or ended get a patch. */
  redrawMaintained(now = this.ctx.engine.clock.now()): void {
    const { engine } = this.ctx;
    const next = new Map<string, number>();
    for (const server of engine.servers()) {
      const until = this.maintenanceUntil(server.id, now);
      if (until !== undefined) next.set(server.id, until);
    }
    for (const id of new Set([...this.maintained.keys(), ...next.keys()])) {
      // A server that left has its removal in the next patch already: a redraw would cancel it.
      if (this.maintained.get(id) !== next.get(id) && engine.find(id)) this.ctx.ports.redrawCard(id);
    }
    this.maintained = next;
  }

  ack(id: string, note?: string): AlertView {
    const change = this.book.acknowledge(id, this.ctx.engine.clock.now(), note);
    if (!change) throw notFound(`Alert "${id}"`);
    this.ctx.engine.events.emit('alerts.changed', change.alert);
    this.saveSoon();
    if (!this.ctx.running()) this.saveNow();
    return change.alert;
  }

  ackAll(serverId?: string): number {
    const changes = this.book.acknowledgeAll(this.ctx.engine.clock.now(), serverId);
    for (const c of changes) this.ctx.engine.events.emit('alerts.changed', c.alert);
    if (changes.length) {
      this.saveSoon();
      if (!this.ctx.running()) this.saveNow();
    }
    return changes.length;
  }

  /** The old "send test" of the e-mail and webhook settings: the channels of the same ids now. */
  testChannel(channel: string): Promise<ChannelTestResult> {
    return this.channels.test(channel);
  }

  /** Writes the book now (at stop, or after an acknowledgement while nothing runs). */
  saveNow(): void {
    if (this.saveTimer !== undefined) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    if (!this.bookImpl) return;
    try {
      this.ctx.ports.alertsFile.save(this.bookImpl);
    } catch (error) {
      this.ctx.engine.log.warn('alerts: could not be saved', error);
    }
  }

  private saveSoon(): void {
    if (this.saveTimer !== undefined || !this.ctx.running()) return;
    // Real time, not the engine's clock: this is about disk writes, and a fake clock must not hold them.
    this.saveTimer = setTimeout(() => this.saveNow(), 500);
    this.saveTimer.unref?.();
  }
}
