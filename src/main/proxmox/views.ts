import type { GuestBackupView, ProxmoxGuestInfo, ProxmoxNodeInfo } from '../../shared/contract/proxmox';
import type { ProxmoxServerView } from '../../shared/server';
import { isHaManaged } from '../drivers/proxmox/model/ha';
import { availableActions } from '../drivers/proxmox/model/guests';

/** Pure: what a discovered server's card shows beyond its config: tags, template, HA, actions, figures. */
const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

export interface GuestViewExtra {
  addresses?: string[];
  task?: ProxmoxServerView['task'];
  discoveredName?: string;
  backup?: GuestBackupView;
  consoleRefusal?: string;
}

export function guestView(g: ProxmoxGuestInfo, node: Pick<ProxmoxNodeInfo, 'status'> | undefined, extra: GuestViewExtra = {}): ProxmoxServerView {
  const nodeOnline = node?.status === 'online';
  const running = g.status === 'running';
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
    haManaged: isHaManaged(g.hastate) || undefined,
    lock: g.lock,
    pool: g.pool,
    actions: nodeOnline ? availableActions(g) : [],
    addresses: extra.addresses,
    cpu: g.cpu,
    maxcpu: g.maxcpu,
    mem: g.mem,
    maxmem: g.maxmem,
    uptime: g.uptime,
    memhost: running ? g.memhost : undefined,
    pressure: running ? g.pressure : undefined,
    backup: g.template ? undefined : extra.backup,
    consoleRefusal: extra.consoleRefusal,
    nodeStatus: node?.status ?? 'unknown',
    task: extra.task,
  });
}

export function nodeView(n: ProxmoxNodeInfo, discoveredName?: string, consoleRefusal?: string): ProxmoxServerView {
  return defined({
    cluster: n.cluster,
    node: n.name,
    discoveredName,
    consoleRefusal,
    status: n.status,
    cpu: n.cpu,
    maxcpu: n.maxcpu,
    mem: n.mem,
    maxmem: n.maxmem,
    uptime: n.uptime,
    nodeStatus: n.status,
  });
}
