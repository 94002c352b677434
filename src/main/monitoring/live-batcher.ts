import type { LiveMetricsBatch } from '../../shared/contract/monitoring';
import type { MetricSample } from '../../shared/metrics';
import type { Clock, TimerHandle } from '../base/clock';

/**
 * Live figures go to the faces in batches: whatever arrived within `windowMs` becomes one
 * `metrics.live` event with the newest sample per server, so 500 hosts polled at once are one
 * message, not 500.
 */
export class LiveBatcher {
  private pending = new Map<string, MetricSample>();
  private timer: TimerHandle | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly windowMs: number,
    private readonly emit: (batch: LiveMetricsBatch) => void,
  ) {}

  add(serverId: string, sample: MetricSample): void {
    const known = this.pending.get(serverId);
    if (!known || known.t <= sample.t) this.pending.set(serverId, sample);
    this.timer ??= this.clock.setTimeout(() => this.flush(), this.windowMs);
  }

  flush(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0) return;
    const samples = [...this.pending].map(([serverId, sample]) => ({ serverId, sample }));
    this.pending = new Map();
    this.emit({ at: this.clock.now(), samples });
  }
}
