import type { ProxmoxGuestInfo } from '../../shared/contract/proxmox';
import { guestServerId } from './inventory-map';

/**
 * Pure: which guest a reference from the CLI or the UI means. Accepted, in this order: a
 * server id, "cluster/vmid", "qemu/100" or "lxc/101", a vmid, a guest name, the name of its
 * server in the inventory. Ambiguity is an error that lists the candidates.
 */
export interface GuestCandidate extends ProxmoxGuestInfo {
  serverId: string;
  serverName?: string;
}

export type Resolution = { ok: true; guest: GuestCandidate } | { ok: false; reason: 'none' | 'ambiguous'; candidates: GuestCandidate[] };

export function resolveGuest(guests: readonly GuestCandidate[], ref: string): Resolution {
  const r = ref.trim();
  const lower = r.toLowerCase();
  const tiers: ((g: GuestCandidate) => boolean)[] = [
    (g) => g.serverId === r,
    (g) => `${g.cluster}/${g.vmid}`.toLowerCase() === lower || `${g.cluster}/${g.id}`.toLowerCase() === lower,
    (g) => g.id === lower,
    (g) => /^\d+$/.test(r) && g.vmid === Number(r),
    (g) => g.name.toLowerCase() === lower,
    (g) => g.serverName?.toLowerCase() === lower,
  ];
  for (const match of tiers) {
    const hits = guests.filter(match);
    if (hits.length === 1) return { ok: true, guest: hits[0] as GuestCandidate };
    if (hits.length > 1) return { ok: false, reason: 'ambiguous', candidates: hits };
  }
  return { ok: false, reason: 'none', candidates: [] };
}

export function candidateOf(guest: ProxmoxGuestInfo, serverName?: string): GuestCandidate {
  return { ...guest, serverId: guestServerId(guest.cluster, guest), ...(serverName ? { serverName } : {}) };
}
