import type { ServerConfig } from '../../shared/server';
import type { PowerState } from '../../shared/power';
import type { Settings } from '../../shared/settings';
import type { Clock, TimerHandle } from '../base/clock';
import { mapLimit } from '../base/concurrency';
import type { Logger } from '../base/logger';
import { createLoop, type Loop } from '../base/loop';
import type { HostProbe, Prober } from '../drivers/probe';
import type { PowerSource } from '../proxmox/port';
import { StatusProber, statusPorts } from './prober';
import { holdMs, WATCHED_STATES, WatchPlan } from './watch';

/** A connect the watch holds open: since when, and until when at most. */
interface Held {
  from: number;
  until: number;
}

/** A server's probe in flight: its verdict applied (`done`); `answered` once its first connect is back. */
interface InFlight {
  done: Promise<void>;
  answered: boolean;
  held?: Held;
}

/** What status probing needs of the engine. */
export interface StatusProbingHost {
  clock: Clock;
  log: Logger;
  probe: Prober;
  settings(): Settings;
  servers(): readonly ServerConfig[];
  /** One server by id (the engine keeps them indexed: a probe looks its server up). */
  server(id: string): ServerConfig | undefined;
  power(id: string): PowerState | undefined;
  /** The source that reports on a server instead of the TCP probe (a Proxmox guest's cluster). */
  sourceOf(server: ServerConfig): PowerSource | undefined;
  /** Every power source, swept with each status sweep. */
  sources(): readonly PowerSource[];
  /** A probe's result, applied to the server's live state. */
  observe(id: string, obs: HostProbe): void;
  /**
   * When the kernel resends an unanswered connect's SYN (inventory/watch.ts), so the watch may
   * hold a silent host's connect open; empty where that is not known (another OS, a fake prober):
   * then each watch probe is a short one, as the sweep's.
   */
  synRetriesMs: readonly number[];
}

/** How often the watch looks for due servers: a few ticks per period, at most 2 a second... at least. */
export const watchTickMs = (everyMs: number) => Math.max(100, Math.min(500, Math.round(everyMs / 8)));

/**
 * Keeps every server's live state current by probing: the status sweep over all of them every
 * `statusIntervalMs`, and the watch, which probes the silent ones (off, suspended, stopped) every
 * `watchSilentMs`, so a host that comes up by itself shows within seconds, not at the next sweep.
 * Both go through the same StatusProber: an answer from a silent host is confirmed with the
 * full timeout before it changes the state, and a silence costs an adaptive timeout.
 */
export class StatusProbing {
  readonly prober: StatusProber;
  private readonly sweepLoop: Loop;
  private readonly watchLoop: Loop;
  private readonly plan = new WatchPlan();
  /**
   * The probe in flight per server: the watch does not pile a probe onto one still waiting, and a
   * sweep waits for it rather than knocking twice (it may be the watch's connect held open).
   */
  private readonly inFlight = new Map<string, InFlight>();

  constructor(private readonly host: StatusProbingHost) {
    this.prober = new StatusProber(host.probe, host.settings);
    const s = host.settings();
    this.sweepLoop = createLoop('status', s.statusIntervalMs, () => this.sweep(), host);
    this.watchLoop = createLoop('watch', watchTickMs(s.watchSilentMs), async () => this.watchTick(), host);
  }

  start(): void {
    this.sweepLoop.start();
    this.watchLoop.start();
  }

  stop(): void {
    this.sweepLoop.stop();
    this.watchLoop.stop();
  }

  /** The settings changed: the loops take their new intervals. */
  retime(): void {
    const s = this.host.settings();
    this.sweepLoop.setInterval(s.statusIntervalMs);
    this.watchLoop.setInterval(watchTickMs(s.watchSilentMs));
  }

  /** One status sweep over every server, bounded, each host on its own deadline. */
  async sweep(): Promise<void> {
    // Servers another source reports on (Proxmox guests, nodes of a reachable cluster) are not
    // TCP-probed; one whose probe is out (the watch holds a silent host's connect open) is not
    // knocked on again, but the sweep ends only once that probe has: after a sweep, every server
    // has been looked at (`servers.sweep`, `rackdeck status`).
    const ids = this.host
      .servers()
      .filter((s) => !this.host.sourceOf(s))
      .map((s) => s.id);
    const probe = (id: string) => {
      const out = this.inFlight.get(id);
      return out ? this.lookedAt(id, out) : this.probeOne(id);
    };
    await Promise.all([mapLimit(ids, this.host.settings().probeConcurrency, probe), ...this.host.sources().map((p) => p.sweep?.())]);
  }

  /** One server brought up to date: by its power source, or by a (confirmed) TCP probe; `holdMs`: the watch's. */
  async probeOne(id: string, holdMs?: number): Promise<void> {
    const server = this.host.server(id);
    if (!server) return;
    const source = this.host.sourceOf(server);
    if (source) return source.refresh(id);
    const power = this.host.power(id) ?? 'unknown';
    const now = this.host.clock.now();
    const out: InFlight = { done: Promise.resolve(), answered: false, ...(holdMs === undefined ? {} : { held: { from: now, until: now + holdMs } }) };
    // Adaptive timeout; a change of state confirmed with the full one before it is applied.
    const heard = () => void (out.answered = true);
    const probing = this.prober.observe(id, server.address, statusPorts(server), power, holdMs, heard).then((obs) => this.host.observe(id, obs));
    out.done = probing.finally(() => {
      if (this.inFlight.get(id) === out) this.inFlight.delete(id);
    });
    this.inFlight.set(id, out);
    return out.done;
  }

  /**
   * A sweep meets a probe already out: it does not knock a second time, and waits for that
   * probe's verdict. A connect the watch holds open (up to 9 s) is waited for only until its next
   * knock, the kernel's resent SYN, has had the time a silent host's probe gets to be answered:
   * unanswered, the server has been looked at during the sweep and is still silent; answered,
   * the sweep waits for the confirmation and the new state.
   */
  private async lookedAt(id: string, out: InFlight): Promise<void> {
    const held = out.held;
    if (!held) return out.done;
    const now = this.host.clock.now();
    const next = this.host.synRetriesMs.find((at) => held.from + at > now);
    // No knock left before the hold ends: it ends within the watch period.
    if (next === undefined || held.from + next >= held.until) return out.done;
    let timer: TimerHandle | undefined;
    const knocked = new Promise<void>((resolve) => (timer = this.host.clock.setTimeout(resolve, held.from + next - now + this.prober.timeoutOf(id, true))));
    await Promise.race([out.done, knocked]);
    if (timer !== undefined) this.host.clock.clearTimeout(timer);
    if (out.answered) await out.done;
  }

  /** The silent servers due now, each probed once; the tick does not wait for them. */
  private watchTick(): void {
    // Four times a second over every server: one pass, no intermediate lists.
    const watched: string[] = [];
    for (const s of this.host.servers()) if (WATCHED_STATES.has(this.host.power(s.id) ?? 'unknown') && !this.host.sourceOf(s)) watched.push(s.id);
    const every = this.host.settings().watchSilentMs;
    const syn = this.host.synRetriesMs;
    const hold = syn.length > 0 ? holdMs(every, syn) : undefined;
    for (const id of this.plan.due(watched, this.host.clock.now(), every)) {
      if (this.inFlight.has(id)) continue;
      const began = this.host.clock.now();
      this.probeOne(id, hold)
        // A probe that held its connect past the period is followed at once: the knocks go on.
        .then(() => hold !== undefined && this.host.clock.now() - began >= every && this.plan.dueAt(id, this.host.clock.now()))
        .catch((error: unknown) => this.host.log.warn(`watching ${id} failed`, error));
    }
  }
}
