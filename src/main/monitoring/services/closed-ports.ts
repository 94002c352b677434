import type { ServiceReport, ServiceView } from '../../../shared/contract/monitoring';

/**
 * How many passes of the services loop a closed common port is taken as still closed, unknocked:
 * with the default 5-minute loop, each is knocked on again every half hour.
 */
export const CLOSED_RESCAN_PASSES = 6;

/**
 * Which common ports the services loop may leave unknocked this pass (pure). A pass knocks on the
 * common ports of every running server, about ten each: with 700 servers, 7 000 connects every
 * five minutes, most of them to ports that were closed the last time and will be closed again
 * (docs/PERFORMANCE.md, detect.cpu). A common port found closed is knocked on again every
 * `CLOSED_RESCAN_PASSES` passes; the server's own ports and the ones found open are knocked on
 * every pass, and a check asked for by hand (`refresh`) knocks on every port.
 */
export class ClosedPorts {
  /** Per server: the address its closed ports were last knocked on at, and the passes since. */
  private readonly since = new Map<string, { address: string; passes: number }>();

  constructor(private readonly rescanPasses = CLOSED_RESCAN_PASSES) {}

  /** The closed common ports of `known` this pass of the loop may take as they were. */
  reusable(id: string, address: string, known: ServiceReport | undefined): ServiceView[] {
    const last = this.since.get(id);
    if (!known || !last || last.address !== address || last.passes + 1 >= this.rescanPasses) return [];
    return known.services.filter((v) => !v.open && !v.configured);
  }

  /** A check was made: `reused` says whether the closed ports were taken as they were, or knocked on. */
  checked(id: string, address: string, reused: boolean): void {
    const last = this.since.get(id);
    this.since.set(id, reused && last ? { address, passes: last.passes + 1 } : { address, passes: 0 });
  }

  forget(id: string): void {
    this.since.delete(id);
  }
}
