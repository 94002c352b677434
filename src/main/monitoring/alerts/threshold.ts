/**
 * A figure against a threshold, over time, as a small state machine (pure): it fires once the
 * figure has stayed at or above the threshold for the rule's duration, and clears only once it
 * falls below the threshold minus the hysteresis, so a figure hovering at the line neither
 * flaps nor nags. A gap in the samples (the host was asleep, polls failed) restarts a pending
 * duration: "five minutes above 90 %" must be five minutes actually seen.
 */
export interface ThresholdParams {
  /** Percent. */
  threshold: number;
  /** How long the figure must stay at or above the threshold. */
  forMs: number;
  /** Points below the threshold at which a firing alert clears. */
  hysteresis: number;
  /** Samples further apart than this do not make a continuous stretch. */
  maxGapMs: number;
}

export type ThresholdPhase = 'ok' | 'pending' | 'firing';

export interface ThresholdState {
  phase: ThresholdPhase;
  /** When the current phase began (for `pending`, when the figure first reached the threshold). */
  since: number;
  /** The last sample's time and figure. */
  lastAt: number;
  value: number;
}

export type ThresholdChange = 'fire' | 'resolve';

export interface ThresholdStep {
  state: ThresholdState;
  change?: ThresholdChange;
}

export function stepThreshold(prev: ThresholdState | undefined, value: number, at: number, p: ThresholdParams): ThresholdStep {
  if (!Number.isFinite(value) || !Number.isFinite(at)) return { state: prev ?? { phase: 'ok', since: at, lastAt: at, value: 0 } };
  // A sample older than the last one (a replay, a late agent report) changes nothing.
  if (prev && at < prev.lastAt) return { state: prev };
  const above = value >= p.threshold;
  const gap = prev !== undefined && at - prev.lastAt > p.maxGapMs;
  const seen = { lastAt: at, value };

  if (!prev || prev.phase === 'ok' || (prev.phase === 'pending' && gap)) {
    if (!above) return { state: { phase: 'ok', since: prev && prev.phase === 'ok' ? prev.since : at, ...seen } };
    if (p.forMs <= 0) return { state: { phase: 'firing', since: at, ...seen }, change: 'fire' };
    return { state: { phase: 'pending', since: at, ...seen } };
  }
  if (prev.phase === 'pending') {
    if (!above) return { state: { phase: 'ok', since: at, ...seen } };
    if (at - prev.since >= p.forMs) return { state: { phase: 'firing', since: at, ...seen }, change: 'fire' };
    return { state: { ...prev, ...seen } };
  }
  // Firing: only a figure clearly below the line ends it; a gap alone does not (no news is not good news).
  if (value < p.threshold - p.hysteresis) return { state: { phase: 'ok', since: at, ...seen }, change: 'resolve' };
  return { state: { ...prev, ...seen } };
}
