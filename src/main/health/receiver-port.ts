import type { AgentFigures } from '../../shared/contract/agents';
import type { Clock } from '../base/clock';
import type { Logger } from '../base/logger';
import type { KeyCheck } from './key-store';
import type { BucketPolicy } from './token-bucket';

/**
 * The agent receiver as the health service sees it: what it is told (where to listen, how to
 * check a key, what to do with a checked report) and what it hands back. The HTTP listener
 * itself is an adapter (io/receiver.ts) the composition root passes in.
 */
export const REPORT_PATH = '/api/health/report';
export const PING_PATH = '/api/health/ping';

export interface ReceiverLimits {
  /** Largest accepted body; a report is about 400 bytes. */
  maxBodyBytes: number;
  /** Per agent key: a 30 s heartbeat plus room for a manual run or the installer's check. */
  perAgent: BucketPolicy;
  /** Per client address, for requests without a valid key (and pings): slows guessing and log floods. */
  perAddress: BucketPolicy;
}

export const DEFAULT_LIMITS: ReceiverLimits = {
  maxBodyBytes: 16 * 1024,
  perAgent: { capacity: 6, refillMs: 5_000 },
  perAddress: { capacity: 10, refillMs: 6_000 },
};

export type ReportVerdict = { accepted: true; body: Record<string, unknown> } | { accepted: false; status: number; message: string };

export interface ReceiverOptions {
  host: string;
  port: number;
  clock: Clock;
  log: Logger;
  verifyKey(presented: string | undefined): KeyCheck;
  /** Called with a report whose key and body were both checked. */
  onReport(serverId: string, figures: AgentFigures, meta: { keyId: string; remote: string }): ReportVerdict;
  limits?: Partial<ReceiverLimits>;
  version: string;
}

export interface AgentReceiver {
  host: string;
  port: number;
  url: string;
  close(): Promise<void>;
}

/** Binds a receiver; rejects when the address cannot be listened on (port in use, no such address). */
export type StartReceiver = (options: ReceiverOptions) => Promise<AgentReceiver>;
