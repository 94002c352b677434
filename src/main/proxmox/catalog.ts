import type { GuestAddress, GuestBackupView, GuestSummary, ProxmoxGuestInfo, StorageView } from '../../shared/contract/proxmox';
import { isHaManaged } from '../drivers/proxmox/model/ha';
import { reverseLookup, type LookupQuery } from '../drivers/proxmox/model/addresses';
import { ProxmoxError } from '../drivers/proxmox/model/errors';
import { availableActions } from '../drivers/proxmox/model/guests';
import { storageFromResources } from '../drivers/proxmox/model/storage';
import type { ClusterBook, ClusterRuntime } from './cluster-book';
import { guestServerId } from './inventory-map';
import type { ProxmoxEnginePort } from './port';
import { guestPower } from './power-map';
import { candidateOf, resolveGuest, type GuestCandidate } from './resolve';

export interface CatalogDeps {
  engine: ProxmoxEnginePort;
  book: ClusterBook;
  /** Refreshes the named cluster, or all of them. */
  discover(name?: string): Promise<unknown>;
  /** A guest's last successful backup, once its cluster's backups were scanned. */
  backup?(rt: ClusterRuntime, g: ProxmoxGuestInfo): GuestBackupView | undefined;
}

/**
 * What the last refreshes know, asked without a request: the guests with their power and
 * actions, which guest a reference from the CLI or the UI means, a reverse lookup by IP or
 * name, and the storage pools.
 */
export class Catalog {
  constructor(private readonly deps: CatalogDeps) {}

  guests(cluster?: string): GuestSummary[] {
    const names = new Map(this.deps.engine.servers().map((s) => [s.id, s.name]));
    const out: GuestSummary[] = [];
    for (const rt of this.deps.book.all()) {
      if (cluster && rt.config.name !== cluster) continue;
      const res = rt.last?.resources;
      if (!res) continue;
      const nodes = new Map(res.nodes.map((n) => [n.name, n]));
      for (const g of res.guests) {
        const node = nodes.get(g.node);
        const c = candidateOf(g, names.get(guestServerId(g.cluster, g)));
        const backup = g.template ? undefined : this.deps.backup?.(rt, g);
        const now = this.deps.engine.clock.now();
        out.push({
          ...c,
          power: guestPower(g, node).power,
          actions: node?.status === 'online' ? availableActions(g) : [],
          nodeStatus: node?.status ?? 'unknown',
          haManaged: isHaManaged(g.hastate),
          ...(backup ? { backup } : {}),
          ...(backup?.lastOkAt !== undefined ? { backupAgeMs: Math.max(0, now - backup.lastOkAt) } : {}),
        });
      }
    }
    return out;
  }

  /** Finds a guest by reference, discovering first when nothing is known yet. */
  async resolve(ref: string): Promise<GuestCandidate> {
    const { book } = this.deps;
    if (book.all().some((rt) => !rt.last)) await this.deps.discover();
    const r = resolveGuest(this.guests(), ref);
    if (r.ok) return r.guest;
    if (r.reason === 'ambiguous') {
      throw new ProxmoxError('parameter', `"${ref}" matches ${r.candidates.length} guests: ${r.candidates.map((c) => `${c.cluster}/${c.vmid} (${c.name})`).join(', ')}; use CLUSTER/VMID`);
    }
    throw new ProxmoxError('not_found', book.size === 0 ? 'No Proxmox cluster is configured: add one with rackdeck proxmox add' : `No guest "${ref}" in ${book.names().join(', ')}`);
  }

  /** Reverse lookup over what is known (IPs learned so far, names, hostnames). */
  lookup(q: LookupQuery): GuestSummary | undefined {
    const all = this.guests();
    const addresses = new Map<string, GuestAddress[]>();
    for (const rt of this.deps.book.all()) for (const [id, list] of rt.addresses) addresses.set(`${rt.config.name}:${id}`, list);
    const keyed = all.map((g) => ({ ...g, id: `${g.cluster}:${g.id}` }));
    const hit = reverseLookup(keyed, addresses, q);
    return hit ? all.find((g) => `${g.cluster}:${g.id}` === hit.id) : undefined;
  }

  storage(cluster?: string): StorageView[] {
    const out: StorageView[] = [];
    for (const rt of this.deps.book.all()) {
      if (cluster && rt.config.name !== cluster) continue;
      for (const s of storageFromResources(rt.last?.resources.storage ?? [])) out.push({ ...s, cluster: rt.config.name });
    }
    return out;
  }
}
