import type { IntegrationSecret } from '../../shared/contract/integrations';
import type { Collected } from './prometheus/families';

/**
 * What the integrations need from the outside world, as ports (types only). The composition
 * root (src/main/root/integrations.ts) passes the adapters from each `io/` folder; tests may
 * pass fakes. Nothing in the model or service files of this folder opens a socket or a file.
 */
export interface IntegrationsPorts {
  secrets: IntegrationSecrets;
  renderExposition: RenderExposition;
  allowMatcher: AllowMatcher;
  openListener: OpenMetricsListener;
  connectMqtt: ConnectMqtt;
  openRemoteStore: OpenRemoteStore;
  spool: Spool;
}

/** The integrations' secrets, sealed at rest like every other; the faces only learn "is set". */
export interface IntegrationSecrets {
  get(name: IntegrationSecret): string | undefined;
  set(name: IntegrationSecret, value: string | null): void;
  has(name: IntegrationSecret): boolean;
}

// ------------------------------------------------------------------ Prometheus

/** The text format of the collected families (prometheus/text-format.ts). */
export type RenderExposition = (collected: Collected) => Promise<{ contentType: string; body: string }>;

/** Whether an address is on the allow-list (CIDR matching is the adapter's). Throws on a malformed entry. */
export type AllowMatcher = (allow: readonly string[]) => (address: string | undefined) => boolean;

export interface ScrapeRequest {
  remoteAddress: string | undefined;
  authorization: string | undefined;
}

export interface ScrapeAnswer {
  status: number;
  contentType: string;
  body: string;
}

export type ScrapeHandler = (req: ScrapeRequest) => Promise<ScrapeAnswer>;

export interface MetricsListener {
  url: string;
  close(): Promise<void>;
}

/** A loopback HTTP listener that serves /metrics only. */
export type OpenMetricsListener = (host: string, port: number, handle: ScrapeHandler) => Promise<MetricsListener>;

// ------------------------------------------------------------------ MQTT

export interface MqttLinkOptions {
  url: string;
  clientId: string;
  username?: string | undefined;
  password?: string | undefined;
  verify: boolean;
  caFile?: string | undefined;
  /** The last will: the broker publishes it (retained) when Rackdeck vanishes without saying goodbye. */
  will: { topic: string; payload: string };
  /** Give up a connect after this long (a test connection); the bridge itself keeps retrying. */
  connectTimeoutMs?: number;
  /** Retry forever (the bridge) or fail at the first error (a test connection). */
  reconnect: boolean;
}

export interface MqttLinkEvents {
  connected(): void;
  disconnected(reason: string): void;
  /** `retained`: a stored message the broker replays on subscribe, not one sent just now. */
  message(topic: string, payload: string, retained: boolean): void;
}

export interface MqttLink {
  /** QoS 1; queued by the client while the link is down. */
  publish(topic: string, payload: string, retain: boolean): void;
  subscribe(topics: readonly string[]): void;
  /** Sends what is queued and disconnects; the will is not published. */
  end(): Promise<void>;
}

export type ConnectMqtt = (options: MqttLinkOptions, events: MqttLinkEvents) => MqttLink;

// ------------------------------------------------------------------ remote history

export interface RemoteStoreOptions {
  writeUrl: string;
  queryUrl: string;
  username?: string | undefined;
  password?: string | undefined;
  token?: string | undefined;
}

export interface WriteAnswer {
  status: number;
  message: string;
}

/** One series of a PromQL matrix: its labels and its [unix seconds, "value"] pairs. */
export interface MatrixSeries {
  metric: Record<string, string>;
  values: Array<[number, string]>;
}

export interface RemoteStore {
  /** POSTs one snappy-compressed WriteRequest; rejects when the store cannot be reached. */
  write(body: Uint8Array): Promise<WriteAnswer>;
  /** `/api/v1/query_range`; rejects with the store's error text. */
  queryRange(query: string, startSec: number, endSec: number, stepSec: number): Promise<MatrixSeries[]>;
  /** `/api/v1/query`, a range vector or an instant one, as a matrix (an instant vector's single value each). */
  query(query: string, timeSec: number): Promise<MatrixSeries[]>;
}

export type OpenRemoteStore = (options: RemoteStoreOptions) => RemoteStore;

export interface SpoolBatch {
  id: string;
  samples: number;
  body: Uint8Array;
}

/** The disk buffer of write requests the store has not taken yet, oldest first (bounded, 0600). */
export interface Spool {
  /** Reads what an earlier run left (once). */
  load(): Promise<void>;
  push(body: Uint8Array, samples: number): Promise<void>;
  oldest(): Promise<SpoolBatch | undefined>;
  remove(id: string): Promise<void>;
  /** Deletes the oldest batches until the buffer fits `maxBytes`; resolves with the samples given up. */
  trim(maxBytes: number): Promise<number>;
  stats(): { batches: number; samples: number; bytes: number };
}
