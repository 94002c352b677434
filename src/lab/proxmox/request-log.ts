/**
 * Counts and records API requests, so benchmarks and tests can show what a client really sent
 * (e.g. one /cluster/resources call per refresh). Bounded: old entries fall off.
 */
import type { RequestLogEntry } from './cluster-types';

const MAX_ENTRIES = 10_000;

export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private total = 0;
  private readonly perPath = new Map<string, number>();

  record(entry: RequestLogEntry): void {
    this.total++;
    const key = `${entry.method} ${entry.path}`;
    this.perPath.set(key, (this.perPath.get(key) ?? 0) + 1);
    this.entries.push(entry);
    if (this.entries.length > MAX_ENTRIES) this.entries = this.entries.slice(-MAX_ENTRIES / 2);
  }

  count(): number {
    return this.total;
  }

  list(): readonly RequestLogEntry[] {
    return [...this.entries];
  }

  counts(): Record<string, number> {
    return Object.fromEntries(this.perPath);
  }

  reset(): void {
    this.entries = [];
    this.total = 0;
    this.perPath.clear();
  }
}
