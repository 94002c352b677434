import type { ProxmoxGuestInfo } from '../../shared/contract/proxmox';
import type { ProxmoxClient } from '../drivers/proxmox/client';
import { isProxmoxError } from '../drivers/proxmox/model/errors';
import { withRunInfo, type QemuRunInfo } from '../drivers/proxmox/model/guest-lists';
import { issueText } from '../drivers/proxmox/model/report';
import type { ClusterResources } from '../drivers/proxmox/resources';

/**
 * Pure: the nodes whose VM list a refresh must read: online nodes with at least one running VM.
 * A paused VM is "running" in /cluster/resources, so a node without running VMs has none paused
 * either, and a stopped or hibernated VM is told apart by /cluster/resources alone (its lock).
 */
export function nodesToAsk(resources: Pick<ClusterResources, 'nodes' | 'guests'>): string[] {
  const online = new Set(resources.nodes.filter((n) => n.status === 'online').map((n) => n.name));
  const nodes = new Set<string>();
  for (const g of resources.guests) if (g.type === 'qemu' && g.status === 'running' && online.has(g.node)) nodes.add(g.node);
  return [...nodes].sort();
}

/**
 * Pure: a running VM whose node could not be asked this refresh keeps the run state the last
 * refresh read (a paused VM stays paused rather than flipping to On for one refresh).
 */
export function keepLastRunState(g: ProxmoxGuestInfo, previous: ProxmoxGuestInfo | undefined): ProxmoxGuestInfo {
  if (g.type !== 'qemu' || g.status !== 'running' || previous?.status !== 'running' || !previous.qmpstatus) return g;
  return { ...g, qmpstatus: previous.qmpstatus };
}

/**
 * Completes one refresh's guests with their QMP run state: one `GET /nodes/{node}/qemu?full=1`
 * per node that has running VMs, all at once, so a refresh is at most 1 + nodes requests. A
 * node that does not answer (595 while the others do, a timeout) is reported, not fatal; its
 * VMs keep the last known run state. Wrong credentials stay fatal: the whole refresh is wrong then.
 */
export async function readRunStates(client: Pick<ProxmoxClient, 'qemuRunStates'>, resources: ClusterResources, previous: ClusterResources | undefined): Promise<string[]> {
  const nodes = nodesToAsk(resources);
  const issues: string[] = [];
  const info = new Map<number, QemuRunInfo>();
  const failed = new Set<string>();
  await Promise.all(
    nodes.map(async (node) => {
      try {
        const r = await client.qemuRunStates(node);
        for (const vm of r.vms) info.set(vm.vmid, vm);
        issues.push(...r.issues.map(issueText));
      } catch (error) {
        if (isProxmoxError(error, 'auth')) throw error;
        failed.add(node);
        issues.push(`GET /nodes/${node}/qemu: ${error instanceof Error ? error.message : String(error)} (its VMs keep the run state read before)`);
      }
    }),
  );
  const before = previous ? new Map(previous.guests.map((g) => [g.id, g])) : undefined;
  resources.guests = resources.guests.map((g) => {
    if (g.type !== 'qemu') return g;
    if (failed.has(g.node)) return keepLastRunState(g, before?.get(g.id));
    return withRunInfo(g, info.get(g.vmid));
  });
  return issues;
}
