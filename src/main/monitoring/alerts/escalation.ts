import type { AlertRule, AlertView } from '../../../shared/contract/monitoring';

/**
 * Escalation (pure): an alert that was sent, is still active and nobody acknowledged within its
 * rule's `escalateAfterMinutes` goes once to the rule's escalation channels.
 */
export interface Escalation {
  alert: AlertView;
  channels: string[];
}

const MINUTE = 60_000;

export function escalationsDue(active: readonly AlertView[], rules: readonly AlertRule[], now: number): Escalation[] {
  const byId = new Map(rules.map((r) => [r.id, r]));
  const out: Escalation[] = [];
  for (const alert of active) {
    const rule = byId.get(alert.ruleId);
    if (!rule?.escalateAfterMinutes || !rule.escalateTo?.length) continue;
    if (alert.state !== 'active' || alert.acknowledgedAt !== undefined || alert.escalatedAt !== undefined || alert.silenced || alert.notifiedAt === undefined) continue;
    if (now - alert.startedAt >= rule.escalateAfterMinutes * MINUTE) out.push({ alert, channels: [...rule.escalateTo] });
  }
  return out;
}
