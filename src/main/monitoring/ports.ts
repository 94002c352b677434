import type { Channel } from '../../shared/contract/channels';
import type { EmailChannel, WebhookChannel } from '../../shared/contract/monitoring';
import type { HistoryRange, MetricSample, MetricSeries } from '../../shared/metrics';
import type { Prober } from '../drivers/probe';
import type { HistoryStore, Series, TierSpec } from '../store/history';
import type { AlertBook } from './alerts/book';
import type { BackfillInput } from './backfill';
import type { OutgoingAlert } from './channels/message';
import type { Sniffer } from './services/checker';

/**
 * What the monitoring needs from the outside world, as ports (types only). The service decides;
 * the adapters in `io/` (history files, alerts.json, the channels' secrets, SMTP, webhooks,
 * sockets) are built by the wiring and passed in, so no monitoring model or service file does
 * I/O itself and a test can pass fakes.
 */
export interface MonitoringPorts {
  history: HistoryPort;
  alertsFile: AlertBookFile;
  secrets: ChannelSecrets;
  /** Sends one alert on one channel of the list (issue 18). */
  sendChannel: SendChannel;
  /** Redraws a server's card (a patch) when what the monitoring adds to it changed: a maintenance window began or ended. */
  redrawCard: (id: string) => void;
  /** Which ports of a host answer (the engine's prober, so a simulated network is the one checked). */
  probe: Prober;
  /** What an open port of an unknown service speaks. */
  sniff: Sniffer;
  /** Proxmox's older figures laid into the history store's own series format. */
  buildBackfill: (input: BackfillInput) => Series;
}

/**
 * The history files as the monitoring uses them: one owning store while the engine runs (writes
 * made while it opens wait in a queue), a read-only one for a face that reads without running.
 */
export interface HistoryPort {
  /** Opens the owning store (once); resolves when it is loaded and the queued writes are applied. */
  open(tiers: readonly TierSpec[], flushIntervalMs: number): Promise<HistoryStore>;
  readonly isOpen: boolean;
  /** Applies a write now, or once the owning store is open; dropped when none is being opened. */
  write(fn: (store: HistoryStore) => void): void;
  /** The owning store when there is one, else a read-only one. */
  read(tiers: readonly TierSpec[]): Promise<HistoryStore>;
  /** Writes everything and lets go of the files. */
  close(): Promise<void>;
}

/** Where the alert book survives a restart. */
export interface AlertBookFile {
  /** The saved book, or an empty one (an unreadable file is set aside and `warn` says so). */
  load(warn: (message: string) => void, now: number): AlertBook;
  save(book: AlertBook): void;
}

/**
 * The channels' secrets: the SMTP password, and the webhook URL (Slack, Discord and ntfy URLs
 * carry their credential in the URL itself). The faces only ever learn that one is set.
 */
export type ChannelSecretName = 'smtp.password' | 'webhook.url' | `channel.${string}`;

export interface ChannelSecrets {
  get(name: ChannelSecretName): string | undefined;
  set(name: ChannelSecretName, value: string | null): void;
  has(name: ChannelSecretName): boolean;
}

/** Sends one alert by e-mail; resolves with what the server said, rejects with why it failed. */
export type SendEmail = (channel: EmailChannel, password: string | undefined, alert: OutgoingAlert) => Promise<string>;

/** Posts one alert to a webhook; resolves with what it answered, rejects with why it failed. */
export type SendWebhook = (channel: WebhookChannel, url: string, alert: OutgoingAlert) => Promise<string>;

/** Sends one alert on a channel with its secret; resolves with what the service answered, rejects with why it failed. */
export type SendChannel = (channel: Channel, secret: string | undefined, alert: OutgoingAlert) => Promise<string>;

/** Timing knobs with defaults (tests shorten them). */
export interface MonitoringTuning {
  /** How long one SSH metrics poll may take (default 15 s). */
  sshTimeoutMs?: number;
  /** Live figures are batched this long (default 250 ms). */
  liveWindowMs?: number;
}

/** Every sample as it is recorded (the remote history and Home Assistant hear them, issue 19). */
export type SampleListener = (serverId: string, sample: MetricSample) => void;

/**
 * Another history the charts are read from (a remote Prometheus-compatible store, issue 19):
 * `undefined` when it is not in use or did not answer, and the local history answers instead.
 */
export type ChartSource = (serverId: string, range: HistoryRange) => Promise<MetricSeries | undefined>;
