import type { BulkAction, BulkResult, GuestAction, ProxmoxTask } from '../../shared/contract/proxmox';
import { isProxmoxError } from '../drivers/proxmox/model/errors';
import { pveMajor } from '../drivers/proxmox/model/token-setup';
import { TRANSITIONAL_FOR } from './actions-map';
import { bulkStep, type BulkOptionsInput } from './bulk-plan';
import type { Catalog } from './catalog';
import type { ClusterBook, ClusterRuntime } from './cluster-book';
import type { ProxmoxEnginePort } from './port';
import type { GuestCandidate } from './resolve';
import type { TaskFollowing } from './task-following';

export interface BulkOpsDeps {
  engine: ProxmoxEnginePort;
  book: ClusterBook;
  catalog: Pick<Catalog, 'resolve' | 'guests'>;
  following: Pick<TaskFollowing, 'track' | 'trackBulk'>;
}

const BULK_VERB: Record<BulkAction, 'start' | 'shutdown' | 'pause'> = { start: 'start', shutdown: 'shutdown', suspend: 'pause' };

/**
 * Many guests at once. On PVE 9 one call per cluster (/cluster/bulk-action/guest/…): the node's
 * bulk worker runs each guest's ordinary action (HA guests through HA, paused VMs resumed) and
 * its one task is followed; at its end one refresh reads every guest back. On PVE 8 (or where
 * the cluster answers 501) one call per guest, from what the last refresh knows of it (no
 * status read first: N guests, N requests), each task followed as any guest action.
 */
export class BulkOps {
  constructor(private readonly deps: BulkOpsDeps) {}

  async run(refs: readonly string[], action: BulkAction, options: BulkOptionsInput = {}): Promise<BulkResult> {
    const skipped: BulkResult['skipped'] = [];
    const byCluster = new Map<string, GuestCandidate[]>();
    const seen = new Set<string>();
    for (const ref of refs) {
      let g: GuestCandidate;
      try {
        g = await this.deps.catalog.resolve(ref);
      } catch (error) {
        skipped.push({ guest: ref, reason: error instanceof Error ? error.message : String(error) });
        continue;
      }
      if (seen.has(g.serverId)) continue;
      seen.add(g.serverId);
      const list = byCluster.get(g.cluster) ?? [];
      list.push(g);
      byCluster.set(g.cluster, list);
    }
    const clusters: BulkResult['clusters'] = [];
    for (const [name, guests] of byCluster) {
      const rt = this.deps.book.get(name);
      const online = new Set((rt.last?.resources.nodes ?? []).filter((n) => n.status === 'online').map((n) => n.name));
      const planned: { g: GuestCandidate; action: ReturnType<typeof bulkStep> }[] = guests.map((g) => ({ g, action: bulkStep(action, g, online.has(g.node), options) }));
      const go: { g: GuestCandidate; act: GuestAction }[] = [];
      for (const p of planned) {
        if ('skip' in p.action) skipped.push({ guest: p.g.name, reason: p.action.skip });
        else go.push({ g: p.g, act: p.action.action });
      }
      if (go.length === 0) continue;
      const major = pveMajor(rt.version);
      if (major === undefined || major >= 9) {
        const done = await this.bulk(rt, action, go.map((x) => x.g), options);
        if (done) {
          clusters.push({ cluster: name, mode: 'bulk', tasks: [done], guests: go.map((x) => x.g.serverId) });
          continue;
        }
      }
      const tasks: ProxmoxTask[] = [];
      for (const { g, act } of go) {
        try {
          const upid = await this.deps.book.clientOf(rt).action(g, act, act === 'shutdown' ? { ...(options.timeout !== undefined ? { timeout: options.timeout } : {}), ...(options.forceStop !== undefined ? { forceStop: options.forceStop } : {}) } : {});
          this.deps.engine.holdTransitional(g.serverId, TRANSITIONAL_FOR[act], `${act}: task running`);
          tasks.push(this.deps.following.track(rt, upid, act, g));
        } catch (error) {
          skipped.push({ guest: g.name, reason: error instanceof Error ? error.message : String(error) });
        }
      }
      clusters.push({ cluster: name, mode: 'per-guest', tasks, guests: tasks.map((t) => t.serverId ?? '').filter(Boolean) });
    }
    return { action, clusters, skipped };
  }

  /** The one bulk call of a cluster, its task tracked; undefined when the cluster does not have it (PVE 8: 501). */
  private async bulk(rt: ClusterRuntime, action: BulkAction, guests: readonly GuestCandidate[], options: BulkOptionsInput): Promise<ProxmoxTask | undefined> {
    let upid: string;
    try {
      upid = await this.deps.book.clientOf(rt).bulk(
        action,
        guests.map((g) => g.vmid),
        {
          ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
          ...(options.forceStop !== undefined ? { forceStop: options.forceStop } : {}),
          ...(options.toDisk ? { toDisk: true } : {}),
        },
      );
    } catch (error) {
      if (isProxmoxError(error, 'not_implemented')) return undefined;
      throw error;
    }
    for (const g of guests) this.deps.engine.holdTransitional(g.serverId, TRANSITIONAL_FOR[BULK_VERB[action]], `bulk ${action}: task running`);
    return this.deps.following.trackBulk(rt, upid, action, guests);
  }
}
