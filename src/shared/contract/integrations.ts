import * as z from 'zod';
import { request } from '../ipc';
import { lazySchema } from './lazy';

/**
 * Integrations (issue 19): a Prometheus exporter, Home Assistant over MQTT, and history written
 * to a Prometheus-compatible remote store. config.json keeps the settings under
 * `settings.integrations`, every field with a default so older files read as is; the secrets
 * (scrape token, broker password, remote store credentials) live in the secrets store and only
 * "is set" crosses IPC.
 */

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const IPV6 = /^[0-9a-f:.]*:[0-9a-f:.]*$/i;

/** One address or CIDR block allowed to scrape /metrics without the token: `127.0.0.1`, `10.0.0.0/24`, `::1`. */
export const allowEntrySchema = lazySchema(() => z
  .string()
  .trim()
  .refine((v) => {
    const [address = '', prefix, more] = v.split('/');
    if (more !== undefined) return false;
    const v4 = IPV4.test(address);
    if (!v4 && !IPV6.test(address)) return false;
    if (prefix === undefined) return true;
    const n = Number(prefix);
    return /^\d{1,3}$/.test(prefix) && n >= 0 && n <= (v4 ? 32 : 128);
  }, 'an address like 10.0.0.5 or a block like 10.0.0.0/24'));

/** A loopback address: the desktop app's own /metrics listener is never reachable from the network. */
export const loopbackHostSchema = lazySchema(() => z
  .string()
  .trim()
  .refine((v) => v === '::1' || (IPV4.test(v) && v.startsWith('127.')), 'a loopback address (127.x.x.x or ::1): use `rackdeck serve` to expose /metrics to the network'));

const port = lazySchema(() => z.number({ error: 'a port is a number' }).int('a port is a whole number').min(1, 'a port is 1–65535').max(65535, 'a port is 1–65535'));

export const prometheusSettingsSchema = lazySchema(() => z
  .object({
    /** /metrics on the web face (`rackdeck serve`) and on the listener below. */
    enabled: z.boolean().default(false),
    /** Who may scrape without the scrape token. Empty: the token is required. */
    allow: z.array(allowEntrySchema).max(64, 'at most 64 entries').default([]),
    /** A listener of its own on loopback (the desktop app has no web face). */
    listener: z.object({ host: loopbackHostSchema.default('127.0.0.1'), port }).strict().optional(),
  })
  .strict());
export type PrometheusSettings = z.output<typeof prometheusSettingsSchema>;

const mqttUrl = lazySchema(() => z
  .string()
  .trim()
  .max(500)
  .refine((v) => {
    try {
      const u = new URL(v);
      return ['mqtt:', 'mqtts:', 'ws:', 'wss:', 'tcp:', 'ssl:'].includes(u.protocol) && u.hostname !== '' && u.username === '' && u.password === '';
    } catch {
      return false;
    }
  }, 'a broker URL like mqtt://broker:1883 or mqtts://broker:8883, without credentials in it'));

/** A topic level or prefix: letters, digits, `_`, `-` and `/` between levels, no wildcards. */
const topicPrefix = lazySchema(() => z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/, 'letters, digits, _ and -, levels separated by /')
  .max(100));

export const MQTT_OFF_ACTIONS = ['shutdown', 'suspend'] as const;
export type MqttOffAction = (typeof MQTT_OFF_ACTIONS)[number];

export const mqttSettingsSchema = lazySchema(() => z
  .object({
    enabled: z.boolean().default(false),
    url: mqttUrl.optional(),
    /** The broker login; its password is a secret. */
    username: z.string().trim().min(1).max(200).optional(),
    /** Defaults to `rackdeck-<base topic>`, so two Rackdecks on one broker do not kick each other off. */
    clientId: z.string().trim().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and -, at most 64').optional(),
    tls: z
      .object({
        /** Check the broker's certificate (turn off only for a self-signed broker on a trusted network). */
        verify: z.boolean().default(true),
        /** A PEM file of the CA that signed the broker's certificate. */
        caFile: z.string().trim().min(1).max(1000).optional(),
      })
      .strict()
      .prefault({}),
    /** Home Assistant's discovery prefix. */
    discoveryPrefix: topicPrefix.default('homeassistant'),
    /** Where Rackdeck publishes states and listens for commands. */
    baseTopic: topicPrefix.default('rackdeck'),
    /** What the switch's "off" does on a physical host (guests shut down). */
    offAction: z.enum(MQTT_OFF_ACTIONS).default('shutdown'),
  })
  .strict());
export type MqttSettings = z.output<typeof mqttSettingsSchema>;

const httpUrl = lazySchema(() => z
  .string()
  .trim()
  .max(1000)
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.username === '' && u.password === '';
    } catch {
      return false;
    }
  }, 'an http(s) URL without credentials in it'));

export const remoteWriteSettingsSchema = lazySchema(() => z
  .object({
    enabled: z.boolean().default(false),
    /** Where samples are POSTed: `http://vm:8428/api/v1/write`, `http://prom:9090/api/v1/write`. */
    writeUrl: httpUrl.optional(),
    /** The PromQL API's base (`http://vm:8428`); default: the write URL without `/api/v1/write`. */
    queryUrl: httpUrl.optional(),
    /** Basic auth user (the password is a secret); a bearer token is a secret of its own. */
    username: z.string().trim().min(1).max(200).optional(),
    /** The `rackdeck` label on every series, so several Rackdecks can share one store. */
    instance: z.string().trim().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, _ . and -, at most 64').default('rackdeck'),
    /** Charts read the remote store (the local history stays written, and answers when the store does not). */
    readCharts: z.boolean().default(true),
    flushIntervalMs: z.number().int().min(1000).max(600_000).default(15_000),
    /** What is kept on disk while the store is down; the oldest batches go first beyond it. */
    bufferMaxMb: z.number().int().min(1).max(4096).default(64),
  })
  .strict());
export type RemoteWriteSettings = z.output<typeof remoteWriteSettingsSchema>;

export const integrationsSettingsSchema = lazySchema(() => z
  .object({
    prometheus: prometheusSettingsSchema.prefault({}),
    mqtt: mqttSettingsSchema.prefault({}),
    remoteWrite: remoteWriteSettingsSchema.prefault({}),
  })
  .strict());
export type IntegrationsSettings = z.output<typeof integrationsSettingsSchema>;

export const INTEGRATIONS = ['prometheus', 'mqtt', 'remoteWrite'] as const;
export type IntegrationName = (typeof INTEGRATIONS)[number];

export const INTEGRATION_LABELS: Record<IntegrationName, string> = { prometheus: 'Prometheus', mqtt: 'Home Assistant (MQTT)', remoteWrite: 'Remote history' };

export const INTEGRATION_SECRETS = ['scrapeToken', 'mqttPassword', 'remotePassword', 'remoteToken'] as const;
export type IntegrationSecret = (typeof INTEGRATION_SECRETS)[number];

/** The settings with, for each secret, only whether it is stored. */
export interface IntegrationsSettingsView {
  prometheus: PrometheusSettings & { tokenSet: boolean };
  mqtt: MqttSettings & { passwordSet: boolean };
  remoteWrite: RemoteWriteSettings & { passwordSet: boolean; tokenSet: boolean };
}

export interface PrometheusStatus {
  enabled: boolean;
  /** How a scrape is let in. `none`: enabled but nothing is allowed yet. */
  protection: 'token' | 'allow-list' | 'token or allow-list' | 'none';
  /** The loopback listener's URL when it runs. */
  listener?: string;
  listenerError?: string;
  scrapes: number;
  refused: number;
  lastScrapeAt?: number;
}

export interface MqttStatus {
  enabled: boolean;
  state: 'off' | 'connecting' | 'connected' | 'disconnected';
  broker?: string;
  error?: string;
  /** Servers published as Home Assistant devices. */
  devices: number;
  commands: number;
  lastCommand?: { at: number; serverId: string; command: string; ok: boolean; detail: string };
  connectedAt?: number;
}

export interface RemoteWriteStatus {
  enabled: boolean;
  state: 'off' | 'ok' | 'failing';
  url?: string;
  readCharts: boolean;
  /** Samples the store accepted since start. */
  sent: number;
  /** Samples waiting (in memory and on disk). */
  pending: number;
  bufferBytes: number;
  /** Samples given up because the disk buffer was full. */
  dropped: number;
  lastSentAt?: number;
  lastError?: string;
}

export interface IntegrationsStatus {
  prometheus: PrometheusStatus;
  mqtt: MqttStatus;
  remoteWrite: RemoteWriteStatus;
}

export interface IntegrationTestResult {
  ok: boolean;
  /** What was tried and what answered, in words. */
  detail: string;
}

const secret = (min: number, what: string) => z.string().min(min, `${what} is at least ${min} characters`).max(4096).nullable().optional();

export const setIntegrationsInputSchema = lazySchema(() => z
  .object({
    prometheus: prometheusSettingsSchema.optional(),
    mqtt: mqttSettingsSchema.optional(),
    remoteWrite: remoteWriteSettingsSchema.optional(),
    /** A value stores it, `null` forgets it, absent keeps it. */
    secrets: z
      .object({
        scrapeToken: secret(16, 'a scrape token'),
        mqttPassword: secret(1, 'a password'),
        remotePassword: secret(1, 'a password'),
        remoteToken: secret(1, 'a token'),
      })
      .strict()
      .optional(),
  })
  .strict());
export type SetIntegrationsInput = z.input<typeof setIntegrationsInputSchema>;
export type SetIntegrationsParsed = z.output<typeof setIntegrationsInputSchema>;

export const integrationsContract = {
  /** What each integration is doing now: connected, scrapes, samples sent and buffered. */
  status: request<IntegrationsStatus>()(() => z.object({}).strict()),
  settings: request<IntegrationsSettingsView>()(() => z.object({}).strict()),
  /** Saves whole sections and secrets, then restarts what changed. */
  setSettings: request<IntegrationsSettingsView>()(() => setIntegrationsInputSchema),
  /** Tries the saved settings once: renders the exposition, connects to the broker, writes to and queries the store. */
  test: request<IntegrationTestResult>()(() => z.object({ integration: z.enum(INTEGRATIONS) }).strict()),
};
