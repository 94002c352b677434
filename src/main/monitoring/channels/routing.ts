import type { Channel } from '../../../shared/contract/channels';
import type { AlertRule, MonitoringSettings } from '../../../shared/contract/monitoring';

/**
 * Which channels there are and which of them an alert goes to (pure). Files from before
 * channels were a list keep their meaning: the old e-mail and webhook settings appear as the
 * channels `email` and `webhook` (marked legacy, their secrets under their old names), and a rule
 * without a `channels` list goes to every enabled channel except those its old `email: false` /
 * `webhook: false` turned off.
 */
export type ListedChannel = Channel & { legacy?: boolean };

export const LEGACY_SECRET = { email: 'smtp.password', webhook: 'webhook.url' } as const;

export type ChannelSecretKey = 'smtp.password' | 'webhook.url' | `channel.${string}`;

export function secretKeyOf(channel: { id: string; legacy?: boolean }): ChannelSecretKey {
  if (channel.legacy && (channel.id === 'email' || channel.id === 'webhook')) return LEGACY_SECRET[channel.id];
  return `channel.${channel.id}`;
}

export function channelsOf(alerts: MonitoringSettings['alerts'], hasSecret: (key: ChannelSecretKey) => boolean): ListedChannel[] {
  const out: ListedChannel[] = [];
  const taken = new Set(alerts.channels.map((c) => c.id));
  const { email, webhook } = alerts;
  if (!taken.has('email') && email.host) {
    const { enabled, ...settings } = email;
    out.push({ id: 'email', name: 'E-mail', kind: 'email', enabled, digestMinutes: 0, settings, legacy: true });
  }
  if (!taken.has('webhook') && (webhook.enabled || hasSecret('webhook.url'))) {
    out.push({ id: 'webhook', name: webhook.format === 'ntfy' ? 'ntfy (webhook)' : 'Webhook', kind: 'webhook', enabled: webhook.enabled, digestMinutes: 0, settings: { format: webhook.format, method: 'POST', contentType: 'application/json' }, legacy: true });
  }
  return [...out, ...alerts.channels];
}

/** The ids of the enabled channels an alert of this rule goes to (no rule: a test or a stray alert, every enabled channel). */
export function routeOf(rule: AlertRule | undefined, channels: readonly ListedChannel[]): string[] {
  const enabled = channels.filter((c) => c.enabled);
  if (rule?.channels) {
    const wanted = new Set(rule.channels);
    return enabled.filter((c) => wanted.has(c.id)).map((c) => c.id);
  }
  return enabled
    .filter((c) => !(c.legacy && c.id === 'email' && rule?.email === false) && !(c.legacy && c.id === 'webhook' && rule?.webhook === false))
    .map((c) => c.id);
}
