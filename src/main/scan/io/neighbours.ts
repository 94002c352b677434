import fs from 'node:fs/promises';
import { parseProcArp } from '../model';

/**
 * The kernel's IPv4 neighbour table (what `ip neigh` shows), read from /proc/net/arp: no
 * packet is sent. Elsewhere than Linux there is none to read, and the scan goes without.
 */
export async function readNeighbours(file = '/proc/net/arp'): Promise<Map<string, string>> {
  try {
    return parseProcArp(await fs.readFile(file, 'utf8'));
  } catch {
    return new Map();
  }
}
