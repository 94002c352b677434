import { digestOf, type OutgoingAlert } from './message';

/**
 * A channel's digest (pure; times passed in): alerts wait in the channel's queue, and once the
 * first of them has waited the channel's digest period they go out as one message. So a channel
 * hears at most one message per period, however many alerts there were.
 */
export class DigestQueue {
  private readonly queues = new Map<string, { since: number; alerts: OutgoingAlert[] }>();

  add(channelId: string, alert: OutgoingAlert, now: number): void {
    const q = this.queues.get(channelId);
    if (q) q.alerts.push(alert);
    else this.queues.set(channelId, { since: now, alerts: [alert] });
  }

  /** The digests due now (their queues emptied), given each channel's period in ms. */
  due(now: number, periodOf: (channelId: string) => number | undefined): Array<{ channelId: string; message: OutgoingAlert }> {
    const out: Array<{ channelId: string; message: OutgoingAlert }> = [];
    for (const [channelId, q] of [...this.queues]) {
      const period = periodOf(channelId);
      // A channel gone or no longer digesting: what waited goes out now rather than never.
      if (period !== undefined && period > 0 && now - q.since < period) continue;
      this.queues.delete(channelId);
      out.push({ channelId, message: q.alerts.length === 1 ? (q.alerts[0] as OutgoingAlert) : digestOf(q.alerts, now) });
    }
    return out;
  }

  pending(channelId: string): number {
    return this.queues.get(channelId)?.alerts.length ?? 0;
  }
}
