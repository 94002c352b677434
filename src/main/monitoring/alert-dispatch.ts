import type { AlertKind, AlertRule, AlertView, ChannelTestResult, EmailChannel, WebhookChannel } from '../../shared/contract/monitoring';
import { notFound } from '../base/errors';
import type { AlertBook, AlertChange } from './alerts/book';
import { AlertEvaluator, type ConditionInput } from './alerts/evaluator';
import { outgoingOf, testAlert, type OutgoingAlert } from './channels/message';
import type { MonitoringContext } from './context';
import { maxGapFor } from './settings';

/** Kinds whose notice the engine already raises itself (power, Proxmox, health): the alert adds e-mail, webhook and the list. */
const ENGINE_TELLS: ReadonlySet<AlertKind> = new Set(['wake_failed', 'task_failed', 'host_key', 'certificate', 'agent_stale']);
const HOUR = 3_600_000;

/**
 * The alerts' side of the monitoring: the book (read from its file on first use, written soon
 * after a change) and the evaluator, and what each change becomes: the `alerts.changed` event,
 * a notice unless the engine raised one itself, then an e-mail and a webhook as the rule asks.
 * Deciding is the evaluator's and the book's; this sequences the sending.
 */
export class AlertDispatch {
  private bookImpl: AlertBook | undefined;
  private evaluatorImpl: AlertEvaluator | undefined;
  private readonly channelErrors = new Map<string, number>();
  private saveTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly ctx: MonitoringContext) {}

  get book(): AlertBook {
    const { engine, ports } = this.ctx;
    this.bookImpl ??= ports.alertsFile.load((m) => engine.log.warn(m), engine.clock.now());
    return this.bookImpl;
  }

  get evaluator(): AlertEvaluator {
    const s = this.ctx.settings();
    this.evaluatorImpl ??= new AlertEvaluator(this.book, s.alerts.rules, maxGapFor(s));
    return this.evaluatorImpl;
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
      void this.sendChannels(outgoingOf(a, change.kind, change.message), rule);
    }
    this.saveSoon();
  }

  ack(id: string): AlertView {
    const change = this.book.acknowledge(id, this.ctx.engine.clock.now());
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

  async testChannel(channel: 'email' | 'webhook'): Promise<ChannelTestResult> {
    const alert = testAlert(this.ctx.engine.clock.now());
    const { email, webhook } = this.ctx.settings().alerts;
    try {
      const detail = channel === 'email' ? await this.sendEmailNow(email, alert) : await this.sendWebhookNow(webhook, alert);
      return { ok: true, detail };
    } catch (error) {
      return { ok: false, detail: error instanceof Error ? error.message : String(error) };
    }
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

  private async sendChannels(alert: OutgoingAlert, rule: AlertRule | undefined): Promise<void> {
    const { email, webhook } = this.ctx.settings().alerts;
    const jobs: Promise<void>[] = [];
    if (email.enabled && (rule?.email ?? true)) jobs.push(this.deliver('email', () => this.sendEmailNow(email, alert)));
    if (webhook.enabled && (rule?.webhook ?? true)) jobs.push(this.deliver('webhook', () => this.sendWebhookNow(webhook, alert)));
    await Promise.all(jobs);
  }

  private async deliver(channel: 'email' | 'webhook', send: () => Promise<string>): Promise<void> {
    try {
      await send();
    } catch (error) {
      const { engine } = this.ctx;
      const message = error instanceof Error ? error.message : String(error);
      engine.log.warn(`alerts: the ${channel} could not be sent: ${message}`);
      const now = engine.clock.now();
      // Said once an hour, not once per alert: a broken mail server must not become a flood of its own.
      if (now - (this.channelErrors.get(channel) ?? -Infinity) >= HOUR) {
        this.channelErrors.set(channel, now);
        engine.notify({ level: 'warning', title: channel === 'email' ? 'An alert e-mail could not be sent' : 'An alert webhook could not be sent', body: message });
      }
    }
  }

  private sendEmailNow(channel: EmailChannel, alert: OutgoingAlert): Promise<string> {
    const { ports } = this.ctx;
    return ports.sendEmail(channel, ports.secrets.get('smtp.password'), alert);
  }

  private sendWebhookNow(channel: WebhookChannel, alert: OutgoingAlert): Promise<string> {
    const { ports } = this.ctx;
    const url = ports.secrets.get('webhook.url');
    if (!url) return Promise.reject(new Error('no webhook URL is set'));
    return ports.sendWebhook(channel, url, alert);
  }
}
