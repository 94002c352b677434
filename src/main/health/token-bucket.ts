/**
 * Token buckets, one per agent (or per address for requests without a valid key). Pure
 * arithmetic on `now`, so a flood test on a fake clock is exact.
 */
export interface BucketPolicy {
  capacity: number;
  /** One token comes back every `refillMs`. */
  refillMs: number;
}

export interface Bucket {
  tokens: number;
  updatedAt: number;
}

export type Take = { allowed: true; bucket: Bucket } | { allowed: false; bucket: Bucket; retryAfterMs: number };

export function takeToken(bucket: Bucket | undefined, now: number, policy: BucketPolicy): Take {
  const start = bucket ?? { tokens: policy.capacity, updatedAt: now };
  const elapsed = Math.max(0, now - start.updatedAt);
  const tokens = Math.min(policy.capacity, start.tokens + elapsed / policy.refillMs);
  if (tokens >= 1) return { allowed: true, bucket: { tokens: tokens - 1, updatedAt: now } };
  return { allowed: false, bucket: { tokens, updatedAt: now }, retryAfterMs: Math.ceil((1 - tokens) * policy.refillMs) };
}

/** Buckets by key, bounded: the oldest are forgotten first, so a scan over many addresses cannot grow memory. */
export class RateLimiter {
  private buckets = new Map<string, Bucket>();

  constructor(
    private readonly policy: BucketPolicy,
    private readonly maxKeys = 10_000,
  ) {}

  take(key: string, now: number): Take {
    const result = takeToken(this.buckets.get(key), now, this.policy);
    this.buckets.delete(key);
    this.buckets.set(key, result.bucket);
    if (this.buckets.size > this.maxKeys) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
    return result;
  }
}
