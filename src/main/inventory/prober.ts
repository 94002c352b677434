import type { HostProbe, Prober } from '../drivers/probe';
import type { Settings } from '../../shared/settings';
import type { PowerState } from '../../shared/power';
import { anyOpen } from './status';
import { needsConfirmation, probeTimeout, updateRtt, type Expectation, type RttEstimate } from './rtt';

/** Which ports a status probe knocks on (the server's ports and its SSH port). */
export { statusPorts } from './probe-ports';

/**
 * What a state says a probe should hear, so that only the verdict that would change it is
 * confirmed: a host going down (suspending, stopping) is still expected to answer, so its silence
 * is confirmed before the command is seen done; a waking host is expected silent, so its first
 * answer shows at once rather than after two full timeouts of confirmed silence; a reboot and an
 * unknown state make no claim.
 */
export function expectationOf(power: PowerState): Expectation {
  if (power === 'on' || power === 'init_failed' || power === 'suspending' || power === 'stopping') return 'up';
  if (power === 'off' || power === 'suspended' || power === 'stopped' || power === 'paused' || power === 'waking') return 'down';
  return 'none';
}

const answered = (obs: HostProbe) => anyOpen(obs.openPorts);

/**
 * How a silent host's card reads when a shortened probe found it still silent. The shortened
 * timeout moves with the network's round trips, and "no answer within 117 ms" then "within 104 ms"
 * would be a change of the card, re-sent to every face, every few seconds for every silent host.
 */
export const STILL_SILENT = 'no answer';

/**
 * The status loop's probing: each host's probe gets a timeout from the round trips it answered
 * with before (inventory/rtt.ts), and a verdict that would change its state is confirmed by
 * `probeConfirmations` probes with the full timeout; the first that disagrees is the one applied,
 * so the state stands. A silent host costs an adaptive timeout, not the full one, every sweep.
 */
export class StatusProber {
  private readonly hosts = new Map<string, RttEstimate>();
  private network: RttEstimate | undefined;

  constructor(
    private readonly probe: Prober,
    private readonly settings: () => Settings,
  ) {}

  /** The estimate learnt for a server (undefined before it ever answered). */
  estimate(id: string): RttEstimate | undefined {
    return this.hosts.get(id);
  }

  /** A server left the inventory, or changed address: what was learnt of it no longer applies. */
  forget(id: string): void {
    this.hosts.delete(id);
  }

  /**
   * One status probe of a server, confirmed where it would change `power`. `holdMs`: the watch
   * holds a silent host's connect open that long (inventory/watch.ts `holdMs`); an answer then
   * may come to a retransmitted SYN, which says nothing of the round trip (Karn's rule), so it is
   * not learnt from: its confirmation is. `heard`: called when the first probe is back, before
   * any confirmation (a sweep waiting on a held connect learns that it was answered).
   */
  async observe(id: string, address: string, ports: readonly number[], power: PowerState, holdMs?: number, heard?: () => void): Promise<HostProbe> {
    const s = this.settings();
    const full = s.probeTimeoutMs;
    const expect = expectationOf(power);
    const held = holdMs !== undefined && expect === 'down';
    const timeout = held ? holdMs : this.timeoutOf(id, expect === 'down');
    let obs = await this.once(id, address, ports, timeout, !held);
    heard?.();
    const up = answered(obs);
    if (!needsConfirmation(expect, up, timeout, full)) return obs.timedOut && timeout !== full ? { ...obs, error: STILL_SILENT } : obs;
    for (let i = 0; i < s.probeConfirmations; i++) {
      const again = await this.once(id, address, ports, full);
      if (answered(again) !== up) return again;
      obs = again;
    }
    return obs;
  }

  /** The timeout a probe of this server gets now (adaptive; `knownSilent`: the server is off or asleep). */
  timeoutOf(id: string, knownSilent: boolean): number {
    const s = this.settings();
    return probeTimeout(this.hosts.get(id), this.network, knownSilent, { minMs: s.probeTimeoutMinMs, maxMs: s.probeTimeoutMs });
  }

  private async once(id: string, address: string, ports: readonly number[], timeoutMs: number, learn = true): Promise<HostProbe> {
    let obs: HostProbe;
    try {
      obs = await this.probe(address, ports, timeoutMs);
    } catch (error) {
      return { openPorts: {}, error: error instanceof Error ? error.message : String(error) };
    }
    if (learn && obs.rttMs !== undefined) {
      this.hosts.set(id, updateRtt(this.hosts.get(id), obs.rttMs));
      this.network = updateRtt(this.network, obs.rttMs);
    }
    return obs;
  }
}
