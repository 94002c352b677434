/**
 * Simulated wall time for the lab. Tickets, task start times, uptimes and RRD points all read
 * this clock, so a test can make two hours pass (and tickets expire) without waiting.
 */
export interface LabClock {
  /** Milliseconds since the epoch, simulated. */
  now(): number;
  /** Whole seconds since the epoch, simulated: what Proxmox puts in tickets, UPIDs and RRD rows. */
  nowSec(): number;
  advance(ms: number): void;
}

export function createLabClock(source: () => number = Date.now): LabClock {
  let offset = 0;
  const now = (): number => source() + offset;
  return {
    now,
    nowSec: () => Math.floor(now() / 1000),
    advance: (ms) => {
      offset += ms;
    },
  };
}
