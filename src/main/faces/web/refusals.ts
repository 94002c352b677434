import type { Logger } from '../../base/logger';
import { takeToken, type Bucket, type BucketPolicy } from '../../health/token-bucket';

/** Wrong tokens one address may try before it waits: a typo or two, never a guessing run. */
export const WRONG_TOKEN_POLICY: BucketPolicy = { capacity: 10, refillMs: 6_000 };
/** Lines about refusals, for the whole face: a flood from many addresses is a few lines a minute. */
const LOG_POLICY: BucketPolicy = { capacity: 5, refillMs: 12_000 };
/** Addresses remembered at once; the oldest are forgotten first, so a scan cannot grow memory. */
const MAX_ADDRESSES = 10_000;

export interface GuardOptions {
  log: Logger;
  now?: () => number;
  policy?: BucketPolicy;
}

/**
 * Log lines that a flood must not multiply: a few a minute for the whole face, and the next line
 * written says how many were left out.
 */
export class ThrottledLog {
  private bucket: Bucket | undefined;
  private unlogged = 0;

  constructor(
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
    private readonly policy: BucketPolicy = LOG_POLICY,
  ) {}

  warn(line: string): void {
    const take = takeToken(this.bucket, this.now(), this.policy);
    this.bucket = take.bucket;
    if (!take.allowed) {
      this.unlogged += 1;
      return;
    }
    const more = this.unlogged > 0 ? ` (and ${this.unlogged} more like it not logged)` : '';
    this.unlogged = 0;
    this.log.warn(`${line}${more}`);
  }
}

/**
 * Wrong-token attempts on the web face: limited per source address with a token bucket (an
 * address that spent its bucket is refused before its token is even looked at, so guessing
 * gains nothing), and logged through a ThrottledLog.
 */
export class WrongTokenGuard {
  private readonly buckets = new Map<string, Bucket>();
  private readonly now: () => number;
  private readonly policy: BucketPolicy;
  private readonly lines: ThrottledLog;

  constructor(options: GuardOptions) {
    this.now = options.now ?? Date.now;
    this.policy = options.policy ?? WRONG_TOKEN_POLICY;
    this.lines = new ThrottledLog(options.log, this.now);
  }

  /** How long this address must wait before its next attempt is looked at; undefined when it may try. */
  lockedOut(address: string): number | undefined {
    const peek = takeToken(this.buckets.get(address), this.now(), this.policy);
    return peek.allowed ? undefined : peek.retryAfterMs;
  }

  /** Counts a wrong or missing token from `address`. */
  refused(address: string, what: string): void {
    const take = takeToken(this.buckets.get(address), this.now(), this.policy);
    this.buckets.delete(address);
    this.buckets.set(address, take.bucket);
    if (this.buckets.size > MAX_ADDRESSES) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
    const spent = take.allowed && take.bucket.tokens < 1;
    this.lines.warn(`web face: refused ${what} from ${address}${spent ? `; that address now waits before its next try` : ''}`);
  }

  /** An attempt refused because its address is locked out (its token was not looked at). */
  throttled(address: string): void {
    this.lines.warn(`web face: ${address} tried too many wrong tokens; refused without looking`);
  }
}
