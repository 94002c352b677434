import type { RuleOverrides } from '../../../shared/contract/alert-policy';
import { figureOf, isThresholdKind, type AlertKind, type AlertRule, type AlertView } from '../../../shared/contract/monitoring';
import type { MetricSample } from '../../../shared/metrics';
import type { AlertBook, AlertChange } from './book';
import { thresholdFiredText, thresholdResolvedText } from './text';
import { stepThreshold, type ThresholdState } from './threshold';

/**
 * Rules applied to what the monitoring sees (pure: no clock, no I/O; times come with the
 * inputs). Samples go through each threshold rule's state machine; events (a server went down,
 * a wake failed, a host key changed…) are conditions that hold or stop holding; with a rule's
 * `forMinutes` they wait that grace first (`tick` fires them), and one that stops holding within
 * it never becomes an alert. A server's overrides change a rule's threshold, grace or state for
 * it; a server in maintenance still gets its alerts, silenced. Every change comes back as an
 * AlertChange for the caller to publish and send.
 */
export interface AlertPolicy {
  overrides: RuleOverrides;
  /** Whether a server is in a maintenance window at that time. */
  inMaintenance(serverId: string, at: number): boolean;
}

interface Pending {
  ruleId: string;
  kind: AlertKind;
  since: number;
  input: ConditionInput;
}

const NO_POLICY: AlertPolicy = { overrides: {}, inMaintenance: () => false };

export interface ConditionInput {
  subject: string;
  serverId?: string;
  serverName?: string;
  active: boolean;
  at: number;
  title: string;
  body: string;
  repeats?: boolean;
}

const MINUTE = 60_000;

export class AlertEvaluator {
  private rules: AlertRule[] = [];
  private readonly states = new Map<string, ThresholdState>();
  /** `ruleId|subject` → an event condition waiting out its grace. */
  private readonly pending = new Map<string, Pending>();
  private policy: AlertPolicy = NO_POLICY;

  constructor(
    readonly book: AlertBook,
    rules: readonly AlertRule[],
    /** Samples further apart than this break a "for N minutes" stretch (about 3 metric intervals). */
    private maxGapMs: number,
  ) {
    this.rules = [...rules];
  }

  get currentRules(): readonly AlertRule[] {
    return this.rules;
  }

  setPolicy(policy: AlertPolicy): void {
    this.policy = policy;
  }

  /** The rule as it applies to a server: its overrides laid over it. */
  effective(rule: AlertRule, serverId: string | undefined): AlertRule {
    const o = serverId !== undefined ? this.policy.overrides[serverId]?.[rule.id] : undefined;
    return o ? { ...rule, ...o } : rule;
  }

  setMaxGap(ms: number): void {
    this.maxGapMs = ms;
  }

  /** New rules: alerts of rules removed or turned off are resolved quietly; a changed threshold starts its watch afresh. */
  setRules(rules: readonly AlertRule[], at: number): AlertChange[] {
    const before = new Map(this.rules.map((r) => [r.id, r]));
    this.rules = [...rules];
    const byId = new Map(rules.map((r) => [r.id, r]));
    for (const key of [...this.states.keys()]) {
      const ruleId = key.slice(0, key.indexOf('|'));
      const next = byId.get(ruleId);
      const prev = before.get(ruleId);
      if (!next || !next.enabled || !prev || JSON.stringify(prev) !== JSON.stringify(next)) this.states.delete(key);
    }
    return this.book.retire((a) => {
      const rule = byId.get(a.ruleId);
      return rule !== undefined && rule.enabled && rule.kind === a.kind && applies(rule, a.serverId);
    }, at);
  }

  sample(serverId: string, serverName: string, sample: MetricSample, at = sample.t): AlertChange[] {
    const out: AlertChange[] = [];
    for (const rule of this.rules) {
      const r = this.effective(rule, serverId);
      if (!r.enabled || !isThresholdKind(r.kind) || r.threshold === undefined || !applies(r, serverId)) continue;
      const value = figureOf(r.kind, sample);
      if (value === undefined) continue;
      const key = `${rule.id}|${serverId}`;
      const forMs = (r.forMinutes ?? 0) * MINUTE;
      const hysteresis = Math.min(r.hysteresis ?? 0, Math.max(0, r.threshold - 1));
      const step = stepThreshold(this.states.get(key), value, at, { threshold: r.threshold, forMs, hysteresis, maxGapMs: this.maxGapMs });
      this.states.set(key, step.state);
      if (!step.change) continue;
      const text = step.change === 'fire' ? thresholdFiredText(r.kind, serverName, value, r.threshold, forMs) : thresholdResolvedText(r.kind, serverName, value);
      const change = this.book.signal({
        ...base(rule),
        subject: serverId,
        serverId,
        serverName,
        active: step.change === 'fire',
        at,
        value: Math.round(value * 10) / 10,
        ...(step.change === 'fire' && this.policy.inMaintenance(serverId, at) ? { silenced: true } : {}),
        ...text,
      });
      if (change) out.push(change);
    }
    return out;
  }

  /** An event kind's condition for one subject, under every enabled rule of that kind. */
  condition(kind: AlertKind, input: ConditionInput): AlertChange[] {
    const out: AlertChange[] = [];
    for (const rule of this.rules) {
      if (rule.kind !== kind) continue;
      const r = this.effective(rule, input.serverId);
      if (!r.enabled || !applies(r, input.serverId)) continue;
      const key = `${rule.id}|${input.subject}`;
      if ((r.forMinutes ?? 0) > 0 && !this.book.isActive(rule.id, input.subject)) {
        // The grace: the condition must hold this long before it is an alert.
        const waiting = this.pending.get(key);
        if (input.active) this.pending.set(key, { ruleId: rule.id, kind, since: waiting?.since ?? input.at, input });
        else this.pending.delete(key);
        continue;
      }
      const change = this.signalCondition(rule, input, input.at);
      if (change) out.push(change);
    }
    return out;
  }

  /** Fires the event conditions that have held through their grace by `now`. */
  tick(now: number): AlertChange[] {
    const out: AlertChange[] = [];
    for (const [key, p] of [...this.pending]) {
      const rule = this.rules.find((x) => x.id === p.ruleId && x.kind === p.kind);
      const r = rule ? this.effective(rule, p.input.serverId) : undefined;
      if (!rule || !r?.enabled || !applies(r, p.input.serverId)) {
        this.pending.delete(key);
        continue;
      }
      if (now - p.since < (r.forMinutes ?? 0) * MINUTE) continue;
      this.pending.delete(key);
      const change = this.signalCondition(rule, p.input, now);
      if (change) out.push(change);
    }
    return out;
  }

  /** Conditions waiting out their grace (for tests and the UI). */
  pendingCount(): number {
    return this.pending.size;
  }

  private signalCondition(rule: AlertRule, input: ConditionInput, at: number): AlertChange | undefined {
    return this.book.signal({
      ...base(rule),
      subject: input.subject,
      ...(input.serverId ? { serverId: input.serverId } : {}),
      ...(input.serverName ? { serverName: input.serverName } : {}),
      active: input.active,
      at,
      title: input.title,
      body: input.body,
      ...(input.repeats ? { repeats: true } : {}),
      ...(input.active && input.serverId !== undefined && this.policy.inMaintenance(input.serverId, at) ? { silenced: true } : {}),
    });
  }

  /** A server left the inventory: its watches end and its alerts resolve quietly. */
  forgetServer(serverId: string, at: number): AlertChange[] {
    for (const key of [...this.states.keys()]) if (key.endsWith(`|${serverId}`)) this.states.delete(key);
    for (const [key, p] of [...this.pending]) if (p.input.serverId === serverId) this.pending.delete(key);
    return this.book.retire((a: AlertView) => a.serverId !== serverId, at);
  }

  /** For tests and the UI: where a threshold rule stands for a server. */
  stateOf(ruleId: string, serverId: string): ThresholdState | undefined {
    return this.states.get(`${ruleId}|${serverId}`);
  }
}

function applies(rule: AlertRule, serverId: string | undefined): boolean {
  if (rule.servers.length === 0) return true;
  return serverId !== undefined && rule.servers.includes(serverId);
}

function base(rule: AlertRule) {
  return { ruleId: rule.id, ruleName: rule.name, kind: rule.kind, severity: rule.severity, throttleMs: rule.throttleMinutes * MINUTE };
}
