import type { AlertPolicyView, MaintenanceWindow, RuleOverrides } from '../../shared/contract/alert-policy';
import { CHANNEL_SECRET_LABELS, SECRET_OPTIONAL, channelSchema, secretUrlSchema, type Channel, type ChannelSave, type ChannelView } from '../../shared/contract/channels';
import { emailChannelSchema, monitoringSettingsSchema, webhookChannelSchema, type MonitoringSettings } from '../../shared/contract/monitoring';
import { HandlerError, notFound } from '../base/errors';
import type { AlertDispatch } from './alert-dispatch';
import { AppriseUrlError, parseAppriseUrl } from './channels/apprise';
import { secretKeyOf, type ListedChannel } from './channels/routing';
import type { MonitoringContext } from './context';

/** Kinds whose secret is a URL (the rest of it may be the credential: only its origin is shown). */
const URL_SECRET: ReadonlySet<string> = new Set(['webhook', 'discord', 'slack']);

/**
 * The channel list and the alert policy as the admin changes them: validated, kept in the
 * engine's settings (config.json), each channel's secret sealed apart and never returned.
 * Saving one of the two channels kept from the old settings (`email`, `webhook`) moves it into
 * the list, its secret along with it, so nothing the admin stored is lost on the way.
 */
export class ChannelsWriter {
  constructor(
    private readonly ctx: MonitoringContext,
    private readonly alerts: AlertDispatch,
  ) {}

  list(): ChannelView[] {
    return this.alerts.channels.list().map((c) => this.view(c));
  }

  save(input: ChannelSave): ChannelView {
    const { secrets } = this.ctx.ports;
    let channel: Channel;
    let secret = input.secret;
    if (input.url !== undefined) {
      let parsed;
      try {
        parsed = parseAppriseUrl(input.url);
      } catch (error) {
        if (error instanceof AppriseUrlError) throw new HandlerError('bad_request', `That URL cannot be used: ${error.message}`, { url: error.message });
        throw error;
      }
      const { secret: fromUrl, name, ...rest } = parsed;
      const id = input.id ?? this.freeId(rest.kind);
      channel = this.parse({ ...rest, id, name: input.name ?? name });
      if (secret === undefined && fromUrl !== undefined) secret = fromUrl;
    } else {
      channel = this.parse(input.channel);
    }
    const existing = this.alerts.channels.list().find((c) => c.id === channel.id);
    if (typeof secret === 'string' && URL_SECRET.has(channel.kind)) {
      const ok = secretUrlSchema.safeParse(secret);
      if (!ok.success) throw new HandlerError('bad_request', `The ${CHANNEL_SECRET_LABELS[channel.kind]} is not an http(s) URL`, { secret: ok.error.issues[0]?.message ?? 'not a URL' });
    }
    const key = secretKeyOf({ id: channel.id });
    const had = existing ? secrets.get(secretKeyOf(existing)) : undefined;
    const willHave = secret === null ? undefined : (secret ?? had);
    if (!willHave && !SECRET_OPTIONAL.has(channel.kind)) throw new HandlerError('bad_request', `A ${channel.kind} channel needs its ${CHANNEL_SECRET_LABELS[channel.kind]}`, { secret: 'required' });
    const s = this.ctx.settings();
    const others = s.alerts.channels.filter((c) => c.id !== channel.id);
    const alerts = { ...s.alerts, channels: [...others, channel] };
    // A legacy channel saved is a channel of the list from now on: the old settings go back to their defaults.
    if (existing?.legacy && channel.id === 'email') alerts.email = emailChannelSchema.parse({});
    if (existing?.legacy && channel.id === 'webhook') alerts.webhook = webhookChannelSchema.parse({});
    this.saveSettings({ ...s, alerts });
    if (willHave !== undefined) secrets.set(key, willHave);
    else secrets.set(key, null);
    if (existing?.legacy) secrets.set(secretKeyOf(existing), null);
    return this.view({ ...channel });
  }

  remove(id: string): boolean {
    const existing = this.alerts.channels.list().find((c) => c.id === id);
    if (!existing) throw notFound(`Channel "${id}"`);
    const s = this.ctx.settings();
    const alerts = { ...s.alerts, channels: s.alerts.channels.filter((c) => c.id !== id) };
    if (existing.legacy && id === 'email') alerts.email = emailChannelSchema.parse({});
    if (existing.legacy && id === 'webhook') alerts.webhook = webhookChannelSchema.parse({});
    this.saveSettings({ ...s, alerts });
    this.ctx.ports.secrets.set(secretKeyOf(existing), null);
    return true;
  }

  policy(): AlertPolicyView {
    const { maintenance, overrides } = this.ctx.settings().alerts;
    const inMaintenance: Record<string, number> = {};
    for (const server of this.ctx.engine.servers()) {
      const until = this.alerts.maintenanceUntil(server.id);
      if (until !== undefined) inMaintenance[server.id] = until;
    }
    return { maintenance, overrides, inMaintenance };
  }

  setPolicy(patch: { maintenance?: MaintenanceWindow[] | undefined; overrides?: RuleOverrides | undefined }): AlertPolicyView {
    const s = this.ctx.settings();
    if (patch.overrides) {
      const rules = new Set(s.alerts.rules.map((r) => r.id));
      for (const [serverId, byRule] of Object.entries(patch.overrides)) {
        if (!this.ctx.engine.find(serverId)) throw new HandlerError('bad_request', `No server "${serverId}"`, { [`overrides.${serverId}`]: 'no such server' });
        for (const ruleId of Object.keys(byRule)) if (!rules.has(ruleId)) throw new HandlerError('bad_request', `No rule "${ruleId}"`, { [`overrides.${serverId}.${ruleId}`]: 'no such rule' });
      }
    }
    const ids = new Set<string>();
    for (const w of patch.maintenance ?? []) {
      if (ids.has(w.id)) throw new HandlerError('bad_request', `The window id "${w.id}" is used twice`, { maintenance: 'ids must differ' });
      ids.add(w.id);
    }
    this.saveSettings({ ...s, alerts: { ...s.alerts, ...(patch.maintenance ? { maintenance: patch.maintenance } : {}), ...(patch.overrides ? { overrides: patch.overrides } : {}) } });
    this.alerts.redrawMaintained();
    return this.policy();
  }

  private view(c: ListedChannel): ChannelView {
    const { secrets } = this.ctx.ports;
    const key = secretKeyOf(c);
    const set = secrets.has(key);
    let secretHint: string | undefined;
    if (set && URL_SECRET.has(c.kind)) {
      try {
        secretHint = `${new URL(secrets.get(key) ?? '').origin}/…`;
      } catch {
        secretHint = undefined;
      }
    }
    return { ...c, secretSet: set, ...(secretHint ? { secretHint } : {}) };
  }

  private parse(raw: unknown): Channel {
    const parsed = channelSchema.safeParse(raw);
    if (parsed.success) return parsed.data;
    const fields: Record<string, string> = {};
    for (const issue of parsed.error.issues) fields[issue.path.join('.')] ??= issue.message;
    throw new HandlerError('bad_request', `Invalid channel: ${Object.entries(fields).map(([k, v]) => (k ? `${k}: ${v}` : v)).join('; ')}`, fields);
  }

  private freeId(kind: string): string {
    const taken = new Set(this.alerts.channels.list().map((c) => c.id));
    if (!taken.has(kind)) return kind;
    for (let i = 2; ; i++) if (!taken.has(`${kind}-${i}`)) return `${kind}-${i}`;
  }

  private saveSettings(next: MonitoringSettings): void {
    const parsed = monitoringSettingsSchema.safeParse(next);
    if (!parsed.success) {
      const fields: Record<string, string> = {};
      for (const issue of parsed.error.issues) fields[issue.path.join('.')] ??= issue.message;
      throw new HandlerError('bad_request', `Invalid settings: ${Object.entries(fields).map(([k, v]) => `${k}: ${v}`).join('; ')}`, fields);
    }
    this.ctx.engine.updateSettings({ monitoring: parsed.data });
  }
}
