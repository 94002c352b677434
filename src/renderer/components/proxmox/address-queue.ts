import type { RackdeckClient } from '../../../shared/contract';

/**
 * Guest addresses are not part of a discovery refresh (that would be one API call per guest);
 * main learns them when a view asks. A guest card asks once per session, through this queue:
 * two requests at a time, each guest once, so a grid of hundreds of guests trickles them in
 * instead of flooding the cluster.
 */
const asked = new Set<string>();
const waiting: string[] = [];
let running = 0;
const CONCURRENCY = 2;

export function requestAddresses(client: RackdeckClient, serverId: string): void {
  if (asked.has(serverId)) return;
  asked.add(serverId);
  waiting.push(serverId);
  pump(client);
}

function pump(client: RackdeckClient): void {
  while (running < CONCURRENCY && waiting.length > 0) {
    const id = waiting.shift()!;
    running++;
    // The answer comes back as a patch of the guest's view; a failure leaves "no IP known".
    void client.proxmox
      .addresses({ guest: id })
      .catch(() => undefined)
      .finally(() => {
        running--;
        pump(client);
      });
  }
}
