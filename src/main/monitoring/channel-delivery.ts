import type { ChannelTestReport } from '../../shared/contract/channels';
import type { AlertRule } from '../../shared/contract/monitoring';
import { notFound } from '../base/errors';
import { DigestQueue } from './channels/digest';
import type { OutgoingAlert } from './channels/message';
import { testAlert } from './channels/message';
import { channelsOf, routeOf, secretKeyOf, type ListedChannel } from './channels/routing';
import type { MonitoringContext } from './context';

const HOUR = 3_600_000;
const MINUTE = 60_000;

/**
 * Sends what the alerts decided to the channels: each alert to the channels its rule routes it
 * to, at once or into the channel's digest, with the channel's secret read from the sealed
 * store at the moment of sending. A failure is logged, and told to the admin once an hour per
 * channel (a broken mail server must not become a flood of its own).
 */
export class ChannelDelivery {
  private readonly digests = new DigestQueue();
  private readonly errors = new Map<string, number>();

  constructor(private readonly ctx: MonitoringContext) {}

  list(): ListedChannel[] {
    const { secrets } = this.ctx.ports;
    return channelsOf(this.ctx.settings().alerts, (key) => secrets.has(key));
  }

  /** An alert (fired, repeated, resolved) to the channels of its rule. */
  send(alert: OutgoingAlert, rule: AlertRule | undefined): Promise<void> {
    const channels = this.list();
    return this.sendTo(routeOf(rule, channels), alert, channels);
  }

  /** An alert to the channels named (an escalation), whatever the rule's own route. */
  async sendTo(ids: readonly string[], alert: OutgoingAlert, channels = this.list()): Promise<void> {
    const now = this.ctx.engine.clock.now();
    const jobs: Promise<void>[] = [];
    for (const id of ids) {
      const channel = channels.find((c) => c.id === id && c.enabled);
      if (!channel) continue;
      if (channel.digestMinutes > 0 && alert.event !== 'escalated') this.digests.add(id, alert, now);
      else jobs.push(this.deliver(channel, alert));
    }
    await Promise.all(jobs);
  }

  /** Sends the digests whose period is up; `all`: every waiting one (the engine stops, and a digest is not kept on disk). */
  async flushDigests(all = false): Promise<void> {
    const channels = this.list();
    const due = this.digests.due(this.ctx.engine.clock.now(), (id) => {
      const c = channels.find((x) => x.id === id);
      return c && !all ? c.digestMinutes * MINUTE : undefined;
    });
    await Promise.all(
      due.map(({ channelId, message }) => {
        const channel = channels.find((c) => c.id === channelId);
        return channel ? this.deliver(channel, message) : Promise.resolve();
      }),
    );
  }

  pendingDigest(channelId: string): number {
    return this.digests.pending(channelId);
  }

  async test(id: string): Promise<ChannelTestReport> {
    const channel = this.list().find((c) => c.id === id);
    if (!channel) throw notFound(`Channel "${id}"`);
    try {
      return { ok: true, detail: await this.sendNow(channel, testAlert(this.ctx.engine.clock.now())) };
    } catch (error) {
      return { ok: false, detail: error instanceof Error ? error.message : String(error) };
    }
  }

  private sendNow(channel: ListedChannel, alert: OutgoingAlert): Promise<string> {
    const { ports } = this.ctx;
    return ports.sendChannel(channel, ports.secrets.get(secretKeyOf(channel)), alert);
  }

  private async deliver(channel: ListedChannel, alert: OutgoingAlert): Promise<void> {
    try {
      await this.sendNow(channel, alert);
    } catch (error) {
      const { engine } = this.ctx;
      const message = error instanceof Error ? error.message : String(error);
      engine.log.warn(`alerts: the channel "${channel.name}" could not be reached: ${message}`);
      const now = engine.clock.now();
      if (now - (this.errors.get(channel.id) ?? -Infinity) >= HOUR) {
        this.errors.set(channel.id, now);
        engine.notify({ level: 'warning', title: `An alert could not be sent to "${channel.name}"`, body: message });
      }
    }
  }
}
