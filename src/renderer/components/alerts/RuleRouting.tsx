import type { ChannelView } from '../../../shared/contract/channels';
import type { AlertRule, AlertRuleInput } from '../../../shared/contract/monitoring';
import './alerts.css';

/**
 * Where one rule's alerts go (issue 18): every enabled channel, or the ones ticked; and, when
 * nobody acknowledges an alert in N minutes, which channels hear it again.
 */
export interface RoutingDraft {
  /** Undefined: every enabled channel (and the old e-mail/webhook switches). */
  channels: string[] | undefined;
  escalateAfter: string;
  escalateTo: string[];
}

export const routingOf = (r: AlertRule): RoutingDraft => ({
  channels: r.channels,
  escalateAfter: r.escalateAfterMinutes === undefined ? '' : String(r.escalateAfterMinutes),
  escalateTo: r.escalateTo ?? [],
});

export function routingInput(d: RoutingDraft): Pick<AlertRuleInput, 'channels' | 'escalateAfterMinutes' | 'escalateTo'> {
  const after = d.escalateAfter.trim() === '' ? undefined : Number(d.escalateAfter);
  return {
    ...(d.channels ? { channels: d.channels } : {}),
    ...(after !== undefined ? { escalateAfterMinutes: after } : {}),
    ...(d.escalateTo.length ? { escalateTo: d.escalateTo } : {}),
  };
}

export function RuleRouting({ value, channels, onChange }: { value: RoutingDraft; channels: readonly ChannelView[]; onChange(v: RoutingDraft): void }) {
  if (channels.length === 0) return null;
  const toggle = (list: string[], id: string, on: boolean) => (on ? [...list, id] : list.filter((x) => x !== id));
  return (
    <div className="rule-routing" data-testid="rule-routing">
      <p className="rule-sentence">
        Sends to{' '}
        <label className="check">
          <input type="checkbox" checked={value.channels === undefined} onChange={(e) => onChange({ ...value, channels: e.target.checked ? undefined : channels.filter((c) => c.enabled).map((c) => c.id) })} /> every channel
        </label>
        {value.channels !== undefined &&
          channels.map((c) => (
            <label key={c.id} className="check">
              <input type="checkbox" checked={value.channels?.includes(c.id) ?? false} onChange={(e) => onChange({ ...value, channels: toggle(value.channels ?? [], c.id, e.target.checked) })} /> {c.name}
            </label>
          ))}
      </p>
      <p className="rule-sentence">
        Not acknowledged after <input className="num" inputMode="numeric" value={value.escalateAfter} onChange={(e) => onChange({ ...value, escalateAfter: e.target.value })} aria-label="Escalate after, minutes" data-testid="rule-escalate-after" /> min, also to{' '}
        {channels.map((c) => (
          <label key={c.id} className="check">
            <input type="checkbox" checked={value.escalateTo.includes(c.id)} onChange={(e) => onChange({ ...value, escalateTo: toggle(value.escalateTo, c.id, e.target.checked) })} /> {c.name}
          </label>
        ))}
      </p>
    </div>
  );
}
