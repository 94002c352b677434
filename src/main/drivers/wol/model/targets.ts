import type { WolSettings } from '../../../../shared/server';
import { directedBroadcast, parseIpv4 } from './broadcast';

export interface WolTarget {
  address: string;
  port: number;
}

export const LIMITED_BROADCAST = '255.255.255.255';

/**
 * Where a server's magic packet goes, from its WoL settings: the subnet-directed broadcast
 * (when the server's address is an IPv4 literal), the limited broadcast, its own address, and
 * any extra targets, each on every configured port, without duplicates.
 */
export function planWolTargets(settings: WolSettings, serverAddress: string): WolTarget[] {
  const addresses: string[] = [];
  const isIpv4 = (() => {
    try {
      parseIpv4(serverAddress);
      return true;
    } catch {
      return false;
    }
  })();
  if (settings.directedBroadcast && isIpv4) addresses.push(directedBroadcast(serverAddress, settings.netmask));
  if (settings.limitedBroadcast) addresses.push(LIMITED_BROADCAST);
  if (settings.unicast && serverAddress.trim() !== '') addresses.push(serverAddress);
  addresses.push(...settings.extraTargets);
  const seen = new Set<string>();
  const targets: WolTarget[] = [];
  for (const address of addresses) {
    for (const port of settings.ports) {
      const key = `${address}:${port}`;
      if (seen.has(key)) continue;
      seen.add(key);
      targets.push({ address, port });
    }
  }
  return targets;
}
