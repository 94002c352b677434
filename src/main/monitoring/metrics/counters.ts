const TWO_32 = 2 ** 32;

/**
 * How much a monotonic counter grew between two readings. A counter that went backwards either
 * wrapped (some drivers still keep 32-bit counters) or was reset (reboot, interface re-created).
 * It is taken as a 32-bit wrap only when both readings fit in 32 bits and the wrapped growth is
 * under half the counter's range; otherwise it is a reset and the growth is unknown (undefined),
 * because a wrong guess would draw a spike of gigabytes on the chart.
 */
export function counterDelta(prev: number, next: number): number | undefined {
  if (next >= prev) return next - prev;
  if (prev < TWO_32 && next < TWO_32) {
    const wrapped = TWO_32 - prev + next;
    if (wrapped <= TWO_32 / 2) return wrapped;
  }
  return undefined;
}
