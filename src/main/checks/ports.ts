import type { CheckDef } from '../../shared/contract/checks';
import type { AlertKind } from '../../shared/contract/monitoring';
import type { StorageView } from '../../shared/contract/proxmox';
import type { HistoryRange, MetricSeries } from '../../shared/metrics';
import type { Prober } from '../drivers/probe';
import type { NodeRepos } from '../drivers/proxmox/repos';
import type { RemoteShell } from '../health/hooks';
import type { ConditionInput } from '../monitoring/alerts/evaluator';
import type { ChecksStore } from './book';
import type { DnsResult, HttpResult, PingResult } from './model/network';

/**
 * What the checks need from the outside world (types only): the probes in `io/`, the file the
 * definitions live in, and the peers the composition root hands in (SSH shells, the metrics
 * history, Proxmox storage and repositories, the alert path). A test passes fakes for any of them.
 */
export interface HttpRequest {
  url: string;
  method: 'GET' | 'HEAD';
  followRedirects: boolean;
  verifyTls: boolean;
}
/** Rejects with a readable reason when no answer came (refused, TLS refused, timeout). */
export type HttpProbe = (req: HttpRequest, signal: AbortSignal) => Promise<HttpResult>;

export type DnsProbe = (q: { name: string; type: 'A' | 'AAAA'; server: string; port: number; timeoutMs: number }) => Promise<DnsResult>;

export type PingProbe = (address: string, timeoutMs: number, signal: AbortSignal) => Promise<PingResult>;

export interface ChecksPorts {
  http: HttpProbe;
  dns: DnsProbe;
  ping: PingProbe;
  /** The TCP fallback of ping (the engine's prober). */
  probe: Prober;
  store: ChecksStore;
}

/** The other capabilities, as far as the checks use them. */
export interface ChecksPeers {
  shellFor(serverId: string): Promise<RemoteShell>;
  series(serverId: string, range: HistoryRange): Promise<MetricSeries>;
  storage(cluster: string): StorageView[];
  /** A node's subscription and APT repositories, read from the node now; rejects with a ProxmoxError. */
  repos(cluster: string, node: string): Promise<NodeRepos>;
  /** The monitoring's condition path: an alert of `kind` held or released for a subject. */
  condition(kind: AlertKind, input: ConditionInput): void;
  /** Whether an enabled alert rule of this kind exists (a home whose rules were saved before checks existed has none). */
  ruleOn(kind: AlertKind): boolean;
}

export type { CheckDef };
