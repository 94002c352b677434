import {
  DEFAULT_ALERT_RULES,
  alertRulesSchema,
  monitoringSettingsSchema,
  type AlertConfigView,
  type AlertRule,
  type EmailChannel,
  type MonitoringSettings,
  type WebhookChannel,
} from '../../shared/contract/monitoring';
import { HandlerError } from '../base/errors';
import type { AlertDispatch } from './alert-dispatch';
import type { MonitoringContext } from './context';

/** The default alert rules as the schema fills them in: judged when first shown, not at every start. */
let defaultRules: AlertRule[] | undefined;
const DEFAULT_RULES = (): AlertRule[] => (defaultRules ??= alertRulesSchema.parse(DEFAULT_ALERT_RULES));

export interface SettingsPatch {
  metricsIntervalMs?: number | undefined;
  metricsConcurrency?: number | undefined;
  flushIntervalMs?: number | undefined;
  retention?: Partial<MonitoringSettings['retention']> | undefined;
  serviceChecks?: Partial<MonitoringSettings['serviceChecks']> | undefined;
  energy?: { default?: MonitoringSettings['energy']['default'] | undefined; servers?: Record<string, MonitoringSettings['energy']['default'] | null> | undefined } | undefined;
}

export interface ChannelsInput {
  email?: EmailChannel | undefined;
  password?: string | null | undefined;
  webhook?: WebhookChannel | undefined;
  url?: string | null | undefined;
}

/**
 * The monitoring's settings as the admin changes them: validated, then kept in the engine's
 * settings (the config file), with the channels' secrets kept apart in their own store. What a
 * change means for the running loops and the history is the service's to apply.
 */
export class SettingsWriter {
  constructor(
    private readonly ctx: MonitoringContext,
    private readonly alerts: AlertDispatch,
  ) {}

  alertConfig(): AlertConfigView {
    const { rules, email, webhook } = this.ctx.settings().alerts;
    const { secrets } = this.ctx.ports;
    const url = secrets.has('webhook.url') ? secrets.get('webhook.url') : undefined;
    let urlHint: string | undefined;
    try {
      if (url) urlHint = `${new URL(url).origin}/…`;
    } catch {
      urlHint = undefined;
    }
    return {
      rules,
      email: { ...email, passwordSet: secrets.has('smtp.password') },
      webhook: { ...webhook, urlSet: url !== undefined, ...(urlHint ? { urlHint } : {}) },
      defaults: DEFAULT_RULES(),
    };
  }

  setRules(rules: AlertRule[]): AlertConfigView {
    const s = this.ctx.settings();
    this.save({ ...s, alerts: { ...s.alerts, rules } });
    this.alerts.dispatch(this.alerts.evaluator.setRules(this.ctx.settings().alerts.rules, this.ctx.engine.clock.now()));
    return this.alertConfig();
  }

  setChannels(input: ChannelsInput): AlertConfigView {
    const { secrets } = this.ctx.ports;
    if (input.webhook?.enabled && input.url === null) throw new HandlerError('bad_request', 'A webhook needs a URL', { url: 'required while the webhook is on' });
    if (input.webhook?.enabled && input.url === undefined && !secrets.has('webhook.url')) throw new HandlerError('bad_request', 'A webhook needs a URL', { url: 'required while the webhook is on' });
    if (input.webhook?.format === 'ntfy') {
      const url = input.url ?? secrets.get('webhook.url');
      if (url && new URL(url).pathname.split('/').filter(Boolean).length === 0) throw new HandlerError('bad_request', 'An ntfy URL names its topic', { url: 'like https://ntfy.sh/my-topic' });
    }
    if (input.password !== undefined) secrets.set('smtp.password', input.password);
    if (input.url !== undefined) secrets.set('webhook.url', input.url);
    const s = this.ctx.settings();
    const alerts = { ...s.alerts, ...(input.email ? { email: input.email } : {}), ...(input.webhook ? { webhook: input.webhook } : {}) };
    this.save({ ...s, alerts });
    return this.alertConfig();
  }

  /** Applies a patch of the figures' settings: the settings before and after it, and whether the history's shape changed. */
  update(patch: SettingsPatch): { before: MonitoringSettings; applied: MonitoringSettings; historyChanged: boolean } {
    const s = this.ctx.settings();
    const servers = { ...s.energy.servers };
    for (const [id, w] of Object.entries(patch.energy?.servers ?? {})) {
      if (!this.ctx.engine.find(id)) throw new HandlerError('bad_request', `No server "${id}"`, { [`energy.servers.${id}`]: 'no such server' });
      if (w === null) delete servers[id];
      else servers[id] = w;
    }
    const next: MonitoringSettings = {
      ...s,
      ...(patch.metricsIntervalMs !== undefined ? { metricsIntervalMs: patch.metricsIntervalMs } : {}),
      ...(patch.metricsConcurrency !== undefined ? { metricsConcurrency: patch.metricsConcurrency } : {}),
      ...(patch.flushIntervalMs !== undefined ? { flushIntervalMs: patch.flushIntervalMs } : {}),
      retention: { ...s.retention, ...definedOnly(patch.retention ?? {}) },
      serviceChecks: { ...s.serviceChecks, ...definedOnly(patch.serviceChecks ?? {}) },
      energy: { default: patch.energy?.default ?? s.energy.default, servers },
    };
    const historyChanged = JSON.stringify(next.retention) !== JSON.stringify(s.retention) || next.flushIntervalMs !== s.flushIntervalMs;
    this.save(next);
    return { before: s, applied: this.ctx.settings(), historyChanged };
  }

  private save(next: MonitoringSettings): void {
    const parsed = monitoringSettingsSchema.safeParse(next);
    if (!parsed.success) {
      const fields: Record<string, string> = {};
      for (const issue of parsed.error.issues) fields[issue.path.join('.')] ??= issue.message;
      throw new HandlerError('bad_request', `Invalid settings: ${Object.entries(fields).map(([k, v]) => `${k}: ${v}`).join('; ')}`, fields);
    }
    this.ctx.engine.updateSettings({ monitoring: parsed.data });
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
