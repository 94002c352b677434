import * as z from 'zod';
import { SNAPSHOT_NAME_PATTERN, type SnapshotNode, type SnapshotTree } from '../../../shared/contract/proxmox';
import { apiPath, type ProxmoxApi } from './api';
import type { GuestRef } from './model/guests';
import { parseList, snapshotSchema, type SnapshotRaw } from './model/parse';
import { upidSchema } from './tasks';

/**
 * Snapshots as a tree: each snapshot under its parent, and the pseudo-entry "current"
 * ("You are here!") under the snapshot the guest's present state derives from.
 */

export const SNAPSHOT_NAME = SNAPSHOT_NAME_PATTERN;

export function checkSnapshotName(name: string): void {
  if (!SNAPSHOT_NAME.test(name)) throw new Error('a snapshot name is 2–40 letters, digits, "-" or "_", starting with a letter');
  if (name === 'current' || name === 'vzdump') throw new Error(`"${name}" is reserved by Proxmox`);
}

/** Pure: the flat list the API returns → the tree. A parent that no longer exists makes a root. */
export function buildSnapshotTree(entries: readonly SnapshotRaw[]): SnapshotTree {
  const nodes = new Map<string, SnapshotNode>();
  let current: SnapshotNode | undefined;
  let running: boolean | undefined;
  for (const e of entries) {
    const node: SnapshotNode = {
      name: e.name,
      description: e.name === 'current' ? e.description || 'You are here!' : e.description,
      ...(e.snaptime !== undefined ? { snaptime: e.snaptime } : {}),
      ...(e.parent ? { parent: e.parent } : {}),
      vmstate: e.vmstate,
      children: [],
      current: e.name === 'current' && e.snaptime === undefined,
    };
    if (node.current) {
      current = node;
      running = e.running;
    } else nodes.set(node.name, node);
  }
  const byTime = (a: SnapshotNode, b: SnapshotNode) => (a.snaptime ?? Number.MAX_SAFE_INTEGER) - (b.snaptime ?? Number.MAX_SAFE_INTEGER) || a.name.localeCompare(b.name);
  const roots: SnapshotNode[] = [];
  const attach = (n: SnapshotNode) => {
    const parent = n.parent ? nodes.get(n.parent) : undefined;
    if (parent && parent !== n) parent.children.push(n);
    else roots.push(n);
  };
  // A cycle in parents (a broken config) would hide snapshots; break it by making the oldest a root.
  for (const n of nodes.values()) attach(n);
  const reachable = new Set<string>();
  const walk = (n: SnapshotNode) => {
    if (reachable.has(n.name)) return;
    reachable.add(n.name);
    n.children.forEach(walk);
  };
  roots.forEach(walk);
  for (const n of [...nodes.values()].sort(byTime)) {
    if (reachable.has(n.name)) continue;
    const parent = n.parent ? nodes.get(n.parent) : undefined;
    if (parent) parent.children = parent.children.filter((c) => c !== n);
    roots.push(n);
    walk(n);
  }
  if (current) attach(current);
  const sortDeep = (list: SnapshotNode[]) => {
    list.sort((a, b) => (a.current ? 1 : 0) - (b.current ? 1 : 0) || byTime(a, b));
    list.forEach((n) => sortDeep(n.children));
  };
  sortDeep(roots);
  const list = [...nodes.values()].sort(byTime).map(({ children: _children, ...rest }) => rest);
  return {
    roots,
    list,
    ...(current?.parent ? { currentParent: current.parent } : {}),
    ...(running !== undefined ? { running } : {}),
  };
}

export async function listSnapshots(api: ProxmoxApi, ref: GuestRef): Promise<SnapshotTree> {
  const raw = await api.get(apiPath`/nodes/${ref.node}/${ref.type}/${ref.vmid}/snapshot`, z.unknown());
  return buildSnapshotTree(parseList(snapshotSchema, raw).items);
}

export interface CreateSnapshot {
  name: string;
  description?: string;
  /** QEMU only: include the RAM, so a rollback resumes the guest where it was. */
  vmstate?: boolean;
}

export async function createSnapshot(api: ProxmoxApi, ref: GuestRef, input: CreateSnapshot): Promise<string> {
  checkSnapshotName(input.name);
  if (input.vmstate && ref.type !== 'qemu') throw new Error('only VMs can save their RAM in a snapshot');
  return api.post(apiPath`/nodes/${ref.node}/${ref.type}/${ref.vmid}/snapshot`, upidSchema, {
    snapname: input.name,
    description: input.description || undefined,
    ...(ref.type === 'qemu' ? { vmstate: input.vmstate ?? false } : {}),
  });
}

export async function rollbackSnapshot(api: ProxmoxApi, ref: GuestRef, name: string, options: { start?: boolean } = {}): Promise<string> {
  checkSnapshotName(name);
  return api.post(apiPath`/nodes/${ref.node}/${ref.type}/${ref.vmid}/snapshot/${name}/rollback`, upidSchema, { start: options.start });
}

export async function deleteSnapshot(api: ProxmoxApi, ref: GuestRef, name: string): Promise<string> {
  checkSnapshotName(name);
  return api.delete(apiPath`/nodes/${ref.node}/${ref.type}/${ref.vmid}/snapshot/${name}`, upidSchema);
}
