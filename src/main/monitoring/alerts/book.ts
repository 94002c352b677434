import * as z from 'zod';
import { ALERT_KINDS, ALERT_SEVERITIES, type AlertKind, type AlertSeverity, type AlertView } from '../../../shared/contract/monitoring';
import { throttleAllows } from './throttle';
import { lazySchema } from '../../../shared/contract/lazy';

/**
 * The alerts themselves (pure; time is passed in): at most one active alert per rule and
 * subject, the resolved ones kept for a while, and when each rule last notified about each
 * subject. It decides whether a change is worth a notification; sending it is someone else's.
 */
export interface AlertSignal {
  ruleId: string;
  ruleName: string;
  kind: AlertKind;
  severity: AlertSeverity;
  throttleMs: number;
  /** Server id, or `cluster:NAME` for a certificate. */
  subject: string;
  serverId?: string;
  serverName?: string;
  /** The condition holds (fire) or no longer holds (resolve). */
  active: boolean;
  at: number;
  title: string;
  body: string;
  value?: number;
  /**
   * An incident that can happen again while its alert is still active (a second failed wake):
   * it notifies again once the throttle allows, unless the alert was acknowledged.
   */
  repeats?: boolean;
  /** In a maintenance window: recorded, but nobody is told (and the throttle is not spent). */
  silenced?: boolean;
}

export type AlertChangeKind = 'fired' | 'repeated' | 'resolved' | 'acknowledged';

export interface AlertChange {
  kind: AlertChangeKind;
  alert: AlertView;
  /** Tell the admin (desktop/browser notice, e-mail, webhook). */
  notify: boolean;
  /** What to say about it when it differs from the alert's own words (a resolution: "back to 30 %"). */
  message?: { title: string; body: string };
}

const alertSchema = lazySchema(() => z.object({
  id: z.string(),
  ruleId: z.string(),
  ruleName: z.string(),
  kind: z.enum(ALERT_KINDS),
  severity: z.enum(ALERT_SEVERITIES),
  subject: z.string(),
  serverId: z.string().optional(),
  serverName: z.string().optional(),
  title: z.string(),
  body: z.string(),
  state: z.enum(['active', 'resolved']),
  startedAt: z.number(),
  updatedAt: z.number(),
  resolvedAt: z.number().optional(),
  acknowledgedAt: z.number().optional(),
  ackNote: z.string().optional(),
  escalatedAt: z.number().optional(),
  silenced: z.boolean().optional(),
  value: z.number().optional(),
  notifiedAt: z.number().optional(),
}));

export const alertBookDocSchema = lazySchema(() => z.object({
  version: z.literal(1),
  nextId: z.number().int().min(1),
  alerts: z.array(alertSchema),
  /** `ruleId|subject` → when a notification last went out. */
  notified: z.record(z.string(), z.number()),
}));
export type AlertBookDoc = z.infer<typeof alertBookDocSchema>;

const keyOf = (ruleId: string, subject: string) => `${ruleId}|${subject}`;

export class AlertBook {
  private readonly alerts = new Map<string, AlertView>();
  /** `ruleId|subject` → id of the active alert. */
  private readonly active = new Map<string, string>();
  private readonly notified = new Map<string, number>();
  private nextId = 1;

  constructor(private readonly resolvedLimit = 500) {}

  static from(doc: unknown, resolvedLimit?: number): AlertBook {
    const parsed = alertBookDocSchema.parse(doc);
    const book = new AlertBook(resolvedLimit);
    book.nextId = parsed.nextId;
    for (const raw of parsed.alerts) {
      const a = stripUndefined(raw) as AlertView;
      book.alerts.set(a.id, a);
      if (a.state === 'active') book.active.set(keyOf(a.ruleId, a.subject), a.id);
    }
    for (const [k, v] of Object.entries(parsed.notified)) book.notified.set(k, v);
    return book;
  }

  toJSON(): AlertBookDoc {
    return { version: 1, nextId: this.nextId, alerts: [...this.alerts.values()], notified: Object.fromEntries(this.notified) };
  }

  signal(s: AlertSignal): AlertChange | undefined {
    const key = keyOf(s.ruleId, s.subject);
    const currentId = this.active.get(key);
    const current = currentId ? this.alerts.get(currentId) : undefined;
    if (!s.active) {
      if (!current) return undefined;
      const resolved: AlertView = { ...current, state: 'resolved', resolvedAt: s.at, updatedAt: s.at };
      this.alerts.set(resolved.id, resolved);
      this.active.delete(key);
      this.prune();
      // The channels that heard it fire hear it end; an acknowledged alert is the admin's already.
      return { kind: 'resolved', alert: resolved, notify: current.notifiedAt !== undefined && current.acknowledgedAt === undefined, message: { title: s.title, body: s.body } };
    }
    if (current) {
      if (!s.repeats) return undefined;
      const notify = !s.silenced && current.acknowledgedAt === undefined && throttleAllows(this.notified.get(key), s.at, s.throttleMs);
      const repeated: AlertView = { ...current, title: s.title, body: s.body, updatedAt: s.at, ...(s.value !== undefined ? { value: s.value } : {}), ...(notify ? { notifiedAt: s.at } : {}) };
      if (notify) this.notified.set(key, s.at);
      this.alerts.set(repeated.id, repeated);
      return { kind: 'repeated', alert: repeated, notify };
    }
    const notify = !s.silenced && throttleAllows(this.notified.get(key), s.at, s.throttleMs);
    const alert: AlertView = {
      id: `a${this.nextId++}`,
      ruleId: s.ruleId,
      ruleName: s.ruleName,
      kind: s.kind,
      severity: s.severity,
      subject: s.subject,
      ...(s.serverId ? { serverId: s.serverId } : {}),
      ...(s.serverName ? { serverName: s.serverName } : {}),
      title: s.title,
      body: s.body,
      state: 'active',
      startedAt: s.at,
      updatedAt: s.at,
      ...(s.value !== undefined ? { value: s.value } : {}),
      ...(notify ? { notifiedAt: s.at } : {}),
      ...(s.silenced ? { silenced: true } : {}),
    };
    if (notify) this.notified.set(key, s.at);
    this.alerts.set(alert.id, alert);
    this.active.set(key, alert.id);
    return { kind: 'fired', alert, notify };
  }

  /** Acknowledges an alert; a note given later replaces the earlier one (the time stays the first). */
  acknowledge(id: string, at: number, note?: string): AlertChange | undefined {
    const alert = this.alerts.get(id);
    if (!alert) return undefined;
    const withNote = note ? { ackNote: note } : {};
    if (alert.acknowledgedAt !== undefined) {
      if (!note || note === alert.ackNote) return { kind: 'acknowledged', alert, notify: false };
      const noted: AlertView = { ...alert, ...withNote, updatedAt: at };
      this.alerts.set(id, noted);
      return { kind: 'acknowledged', alert: noted, notify: false };
    }
    const acked: AlertView = { ...alert, acknowledgedAt: at, ...withNote, updatedAt: at };
    this.alerts.set(id, acked);
    return { kind: 'acknowledged', alert: acked, notify: false };
  }

  /** Acknowledges every active alert not yet acknowledged (of one server, when given). */
  acknowledgeAll(at: number, serverId?: string): AlertChange[] {
    const out: AlertChange[] = [];
    for (const id of this.active.values()) {
      const a = this.alerts.get(id);
      if (!a || a.acknowledgedAt !== undefined || (serverId !== undefined && a.serverId !== serverId)) continue;
      const change = this.acknowledge(id, at);
      if (change) out.push(change);
    }
    return out;
  }

  /** Resolves, without notifying, the active alerts whose rule is gone or off, or whose server was removed. */
  retire(keep: (alert: AlertView) => boolean, at: number): AlertChange[] {
    const out: AlertChange[] = [];
    for (const [key, id] of [...this.active]) {
      const a = this.alerts.get(id);
      if (!a || keep(a)) continue;
      const resolved: AlertView = { ...a, state: 'resolved', resolvedAt: at, updatedAt: at };
      this.alerts.set(id, resolved);
      this.active.delete(key);
      out.push({ kind: 'resolved', alert: resolved, notify: false });
    }
    this.prune();
    return out;
  }

  /** The alert went to its escalation channels: said once. */
  markEscalated(id: string, at: number): AlertView | undefined {
    const alert = this.alerts.get(id);
    if (!alert || alert.escalatedAt !== undefined) return undefined;
    const escalated: AlertView = { ...alert, escalatedAt: at };
    this.alerts.set(id, escalated);
    return escalated;
  }

  isActive(ruleId: string, subject: string): boolean {
    return this.active.has(keyOf(ruleId, subject));
  }

  /** The active alerts, oldest first. */
  activeAlerts(): AlertView[] {
    return [...this.active.values()].map((id) => this.alerts.get(id)).filter((a): a is AlertView => a !== undefined);
  }

  get(id: string): AlertView | undefined {
    return this.alerts.get(id);
  }

  /** Newest first. */
  list(filter: { state?: 'active' | 'all'; serverId?: string; limit?: number } = {}): AlertView[] {
    const out = [...this.alerts.values()]
      .filter((a) => (filter.state !== 'active' || a.state === 'active') && (filter.serverId === undefined || a.serverId === filter.serverId))
      .sort((a, b) => b.startedAt - a.startedAt || Number(b.id.slice(1)) - Number(a.id.slice(1)));
    return filter.limit !== undefined ? out.slice(0, filter.limit) : out;
  }

  activeCount(): number {
    return this.active.size;
  }

  private prune(): void {
    const resolved = [...this.alerts.values()].filter((a) => a.state === 'resolved');
    if (resolved.length <= this.resolvedLimit) return;
    resolved.sort((a, b) => (a.resolvedAt ?? 0) - (b.resolvedAt ?? 0));
    for (const a of resolved.slice(0, resolved.length - this.resolvedLimit)) this.alerts.delete(a.id);
  }
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
