import { figureOf, isThresholdKind, type AlertKind, type AlertRule, type AlertView } from '../../../shared/contract/monitoring';
import type { MetricSample } from '../../../shared/metrics';
import type { AlertBook, AlertChange } from './book';
import { thresholdFiredText, thresholdResolvedText } from './text';
import { stepThreshold, type ThresholdState } from './threshold';

/**
 * Rules applied to what the monitoring sees (pure: no clock, no I/O; times come with the
 * inputs). Samples go through each threshold rule's state machine; events (a server went down,
 * a wake failed, a host key changed…) are conditions that hold or stop holding. Every change
 * comes back as an AlertChange for the caller to publish and send.
 */
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
      if (!rule.enabled || !isThresholdKind(rule.kind) || rule.threshold === undefined || !applies(rule, serverId)) continue;
      const value = figureOf(rule.kind, sample);
      if (value === undefined) continue;
      const key = `${rule.id}|${serverId}`;
      const forMs = (rule.forMinutes ?? 0) * MINUTE;
      const step = stepThreshold(this.states.get(key), value, at, { threshold: rule.threshold, forMs, hysteresis: rule.hysteresis ?? 0, maxGapMs: this.maxGapMs });
      this.states.set(key, step.state);
      if (!step.change) continue;
      const text = step.change === 'fire' ? thresholdFiredText(rule.kind, serverName, value, rule.threshold, forMs) : thresholdResolvedText(rule.kind, serverName, value);
      const change = this.book.signal({
        ...base(rule),
        subject: serverId,
        serverId,
        serverName,
        active: step.change === 'fire',
        at,
        value: Math.round(value * 10) / 10,
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
      if (rule.kind !== kind || !rule.enabled || !applies(rule, input.serverId)) continue;
      const change = this.book.signal({
        ...base(rule),
        subject: input.subject,
        ...(input.serverId ? { serverId: input.serverId } : {}),
        ...(input.serverName ? { serverName: input.serverName } : {}),
        active: input.active,
        at: input.at,
        title: input.title,
        body: input.body,
        ...(input.repeats ? { repeats: true } : {}),
      });
      if (change) out.push(change);
    }
    return out;
  }

  /** A server left the inventory: its watches end and its alerts resolve quietly. */
  forgetServer(serverId: string, at: number): AlertChange[] {
    for (const key of [...this.states.keys()]) if (key.endsWith(`|${serverId}`)) this.states.delete(key);
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
