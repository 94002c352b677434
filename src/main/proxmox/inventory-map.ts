import type { ProxmoxGuestInfo, ProxmoxNodeInfo } from '../../shared/contract/proxmox';
import { addressSchema, serverNameSchema, type ProxmoxBinding, type ServerConfig } from '../../shared/server';

/**
 * Pure: one cluster's discovery → the servers it should have in the inventory. Nodes become
 * `proxmox-node` servers, guests `vm` / `lxc` servers whose parent is their node's server; a
 * node's server gets as parent the physical host it runs on (matched by address or name), so a
 * sleeping node is woken by Wake-on-LAN before its guest starts. What the admin changed on a
 * discovered server (MAC, SSH, notes, desired state, its name) is kept.
 */

export interface InventoryInput {
  cluster: string;
  nodes: readonly ProxmoxNodeInfo[];
  guests: readonly ProxmoxGuestInfo[];
  /** Node name → its IP (from /cluster/status). */
  nodeIps: ReadonlyMap<string, string>;
  /** Guest id ("qemu/100") → the address to reach it by, when known. */
  guestAddresses: ReadonlyMap<string, string>;
  servers: readonly ServerConfig[];
  now: number;
}

export interface InventoryPlan {
  /** Servers to add or replace (whole configs, ids stable across renames and moves). */
  upserts: ServerConfig[];
  /** Ids of this cluster's servers whose node or guest is gone. */
  removals: string[];
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'x';

export function nodeServerId(cluster: string, node: string): string {
  return `pve-${slug(cluster)}-node-${slug(node)}`;
}

export function guestServerId(cluster: string, guest: Pick<ProxmoxGuestInfo, 'type' | 'vmid'>): string {
  return `pve-${slug(cluster)}-${guest.type}-${guest.vmid}`;
}

function validName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9 ._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 63);
  return serverNameSchema.safeParse(cleaned).success ? cleaned : '';
}

function validAddress(a: string | undefined): string | undefined {
  return a && addressSchema.safeParse(a).success ? a : undefined;
}

/** The physical host a node runs on: same address (IP or name) first, then the same name. */
export function matchPhysicalHost(servers: readonly ServerConfig[], node: string, ip: string | undefined): ServerConfig | undefined {
  const candidates = servers.filter((s) => !s.proxmox && s.kind === 'physical');
  const lower = node.toLowerCase();
  return (
    (ip ? candidates.find((s) => s.address === ip) : undefined) ??
    candidates.find((s) => s.address.toLowerCase() === lower || s.address.toLowerCase().startsWith(`${lower}.`)) ??
    candidates.find((s) => s.name.toLowerCase() === lower)
  );
}

/**
 * A guest's address: the one learned from Proxmox (guest agent, container, config), else the
 * one it has (typed by the admin or learned before), else its name when that is a hostname.
 * Never its node's: an address that is a node's of this cluster (what older versions lent an
 * unnamed guest) or Proxmox's "VM 200" / "CT200" stand-in name is dropped. With none known the
 * guest has none (''), and SSH, probes and commands refuse it instead of reaching the hypervisor.
 */
export function guestAddress(guest: Pick<ProxmoxGuestInfo, 'name' | 'named'>, current: Pick<ServerConfig, 'address'> | undefined, learned: string | undefined, nodeAddresses: ReadonlySet<string>): string {
  if (learned) return learned;
  const named = guest.named !== false;
  const borrowed = (a: string) => nodeAddresses.has(a.toLowerCase()) || (!named && a.toLowerCase() === guest.name.toLowerCase());
  if (current?.address && !borrowed(current.address)) return current.address;
  const byName = named ? validAddress(guest.name) : undefined;
  return byName && !borrowed(byName) ? byName : '';
}

export function planInventory(input: InventoryInput): InventoryPlan {
  const { cluster, servers, now } = input;
  const byId = new Map(servers.map((s) => [s.id, s]));
  const owned = servers.filter((s) => s.proxmox?.cluster === cluster);
  const wantedIds = new Set<string>();
  const upserts: ServerConfig[] = [];

  // Names held by everything that is not about to be (re)named by this plan.
  const taken = new Set(servers.map((s) => s.name.toLowerCase()));
  const claim = (preferred: string[], current?: ServerConfig): string => {
    if (current) taken.delete(current.name.toLowerCase());
    for (const p of preferred) {
      const n = validName(p);
      if (n && !taken.has(n.toLowerCase())) {
        taken.add(n.toLowerCase());
        return n;
      }
    }
    const base = validName(preferred[preferred.length - 1] ?? 'guest') || 'guest';
    for (let i = 2; ; i++) {
      const n = `${base.slice(0, 58)}-${i}`;
      if (!taken.has(n.toLowerCase())) {
        taken.add(n.toLowerCase());
        return n;
      }
    }
  };

  /** Keeps the admin's name; follows a rename in Proxmox only while the name is still the one discovery gave. */
  const nameFor = (current: ServerConfig | undefined, preferred: string[]): { name: string; discoveredName: string } => {
    if (current) {
      const keep = current.name !== current.proxmox?.discoveredName || validName(preferred[0] ?? '') === current.name;
      if (keep) return { name: current.name, discoveredName: current.proxmox?.discoveredName ?? current.name };
      const name = claim(preferred, current);
      return { name, discoveredName: name };
    }
    const name = claim(preferred);
    return { name, discoveredName: name };
  };

  const same = (a: ServerConfig | undefined, b: ServerConfig) => a !== undefined && JSON.stringify(a) === JSON.stringify(b);

  const nodeAddress = new Map<string, string>();
  for (const node of input.nodes) {
    const id = nodeServerId(cluster, node.name);
    wantedIds.add(id);
    const current = byId.get(id);
    const ip = validAddress(input.nodeIps.get(node.name));
    const address = ip ?? (current ? current.address : (validAddress(node.name) ?? node.name));
    nodeAddress.set(node.name, address);
    const host = matchPhysicalHost(servers, node.name, ip);
    const keptParent = current?.parentId && byId.has(current.parentId) ? current.parentId : undefined;
    const { name, discoveredName } = nameFor(current, [node.name, `${cluster}-${node.name}`]);
    const binding: ProxmoxBinding = { cluster, node: node.name, discoveredName };
    const next: ServerConfig = {
      ...(current ?? { ports: [8006, 22], createdAt: now }),
      id,
      name,
      kind: 'proxmox-node',
      address,
      proxmox: binding,
    } as ServerConfig;
    const parentId = keptParent ?? (host && host.id !== id ? host.id : undefined);
    if (parentId) next.parentId = parentId;
    else delete next.parentId;
    if (!same(current, next)) upserts.push(next);
  }

  const nodeAddresses = new Set([...nodeAddress.values(), ...input.nodes.map((n) => n.name)].map((a) => a.toLowerCase()));
  for (const guest of input.guests) {
    const id = guestServerId(cluster, guest);
    wantedIds.add(id);
    const current = byId.get(id);
    const nodeId = nodeServerId(cluster, guest.node);
    const address = guestAddress(guest, current, validAddress(input.guestAddresses.get(guest.id)), nodeAddresses);
    const { name, discoveredName } = nameFor(current, [guest.name, `${guest.name}-${guest.vmid}`, `${cluster}-${guest.name}-${guest.vmid}`]);
    const binding: ProxmoxBinding = { cluster, node: guest.node, type: guest.type, vmid: guest.vmid, discoveredName };
    const next: ServerConfig = {
      ...(current ?? { ports: [22], createdAt: now }),
      id,
      name,
      kind: guest.type === 'qemu' ? 'vm' : 'lxc',
      address,
      proxmox: binding,
    } as ServerConfig;
    // A guest whose node the cluster does not list (should not happen) keeps no dangling parent.
    if (wantedIds.has(nodeId)) next.parentId = nodeId;
    else delete next.parentId;
    if (!same(current, next)) upserts.push(next);
  }

  const removals = owned.filter((s) => !wantedIds.has(s.id)).map((s) => s.id);
  return { upserts, removals };
}
