import type { ProxmoxGuestInfo, ProxmoxNodeInfo } from '../../shared/contract/proxmox';
import type { ProxmoxServerView } from '../../shared/server';
import { availableActions } from '../drivers/proxmox/model/guests';

/** Pure: what a discovered server's card shows beyond its config: tags, template, HA, actions, figures. */
const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

export function guestView(g: ProxmoxGuestInfo, node: Pick<ProxmoxNodeInfo, 'status'> | undefined, extra: { addresses?: string[]; task?: ProxmoxServerView['task']; discoveredName?: string } = {}): ProxmoxServerView {
  const nodeOnline = node?.status === 'online';
  return defined({
    cluster: g.cluster,
    node: g.node,
    type: g.type,
    vmid: g.vmid,
    guestName: g.name,
    discoveredName: extra.discoveredName,
    status: g.status,
    qmpstatus: g.qmpstatus,
    template: g.template,
    tags: g.tags,
    hastate: g.hastate,
    lock: g.lock,
    pool: g.pool,
    actions: nodeOnline ? availableActions(g) : [],
    addresses: extra.addresses,
    cpu: g.cpu,
    maxcpu: g.maxcpu,
    mem: g.mem,
    maxmem: g.maxmem,
    uptime: g.uptime,
    nodeStatus: node?.status ?? 'unknown',
    task: extra.task,
  });
}

export function nodeView(n: ProxmoxNodeInfo, discoveredName?: string): ProxmoxServerView {
  return defined({
    cluster: n.cluster,
    node: n.name,
    discoveredName,
    status: n.status,
    cpu: n.cpu,
    maxcpu: n.maxcpu,
    mem: n.mem,
    maxmem: n.maxmem,
    uptime: n.uptime,
    nodeStatus: n.status,
  });
}
