/**
 * Round-trip estimates and the probe timeouts they allow (pure: no clock, no sockets).
 *
 * The estimator is TCP's retransmission timer (RFC 6298 §2): a smoothed RTT and its mean
 * deviation, and a timeout of SRTT + 4·RTTVAR. nmap times its probes the same way. A probe that
 * comes back silent within such a timeout is only a hint: the engine confirms any change it would
 * make with probes given the full timeout (`needsConfirmation`), so a host whose answers are
 * late or lost does not flap.
 */

export interface RttEstimate {
  /** Smoothed round-trip time, ms. */
  srtt: number;
  /** Mean deviation of the round-trip time, ms. */
  rttvar: number;
  /** Samples taken in (for the record and for tests). */
  samples: number;
}

/** RFC 6298's gains: α = 1/8 for the mean, β = 1/4 for the deviation, K = 4 deviations of margin. */
const ALPHA = 1 / 8;
const BETA = 1 / 4;
const K = 4;

/**
 * One round-trip sample folded in (RFC 6298 §2.2–2.3). Only answers are samples: a timeout says
 * nothing about the round trip (Karn's rule), so it leaves the estimate as it was.
 */
export function updateRtt(prev: RttEstimate | undefined, sampleMs: number): RttEstimate {
  if (!Number.isFinite(sampleMs) || sampleMs < 0) return prev ?? { srtt: 0, rttvar: 0, samples: 0 };
  if (!prev || prev.samples === 0) return { srtt: sampleMs, rttvar: sampleMs / 2, samples: 1 };
  const rttvar = (1 - BETA) * prev.rttvar + BETA * Math.abs(prev.srtt - sampleMs);
  const srtt = (1 - ALPHA) * prev.srtt + ALPHA * sampleMs;
  return { srtt, rttvar, samples: prev.samples + 1 };
}

export interface TimeoutBounds {
  /** The floor of an adaptive timeout (settings.probeTimeoutMinMs). */
  minMs: number;
  /** The full timeout (settings.probeTimeoutMs): the cap, and what a host without history gets. */
  maxMs: number;
}

/** SRTT + 4·RTTVAR, floored and capped; the full timeout when nothing is known. */
export function timeoutFor(estimate: RttEstimate | undefined, bounds: TimeoutBounds): number {
  const max = Math.max(1, bounds.maxMs);
  const min = Math.min(Math.max(0, bounds.minMs), max);
  if (!estimate || estimate.samples === 0) return max;
  const rto = estimate.srtt + K * estimate.rttvar;
  return Math.round(Math.min(max, Math.max(min, rto)));
}

/**
 * The timeout of a host's next status probe: its own estimate when it has answered before;
 * otherwise the estimate of the whole network (as nmap times a host it has not heard from by
 * its group), but only for a host already known to be silent, whose quick silence changes nothing
 * and whose answer would be confirmed; a host with neither gets the full timeout.
 */
export function probeTimeout(own: RttEstimate | undefined, network: RttEstimate | undefined, knownSilent: boolean, bounds: TimeoutBounds): number {
  if (own && own.samples > 0) return timeoutFor(own, bounds);
  if (knownSilent) return timeoutFor(network, bounds);
  return bounds.maxMs;
}

/** What the previous state says about a probe's verdict: answering, silent, or no claim. */
export type Expectation = 'up' | 'down' | 'none';

/**
 * Whether a probe's verdict must be confirmed with the full timeout before it is applied.
 * - A verdict that contradicts what the state implies (an `on` host silent, an `off` host
 *   answering) would change the state: confirmed, always.
 * - Where the state makes no claim (never probed, or rebooting), a silence heard within a
 *   shortened timeout is confirmed: a reboot must really be seen going down.
 */
export function needsConfirmation(expect: Expectation, up: boolean, usedMs: number, fullMs: number): boolean {
  if (expect === 'none') return !up && usedMs < fullMs;
  return (expect === 'up') !== up;
}
