import type { ProxmoxChange, ProxmoxGuestInfo, ProxmoxNodeInfo } from '../../shared/contract/proxmox';
import { runState, type RunState } from '../drivers/proxmox/model/guests';

/**
 * Pure change tracking between two refreshes of a cluster: which guests were created,
 * removed, moved to another node, renamed, started, stopped, paused or resumed, and which
 * nodes went offline or came back. The first refresh of a cluster is a baseline, not news.
 */
export interface ClusterState {
  nodes: readonly Pick<ProxmoxNodeInfo, 'name' | 'status'>[];
  guests: readonly Pick<ProxmoxGuestInfo, 'id' | 'name' | 'node' | 'type' | 'status' | 'qmpstatus' | 'lock' | 'template' | 'vmid'>[];
}

const label = (g: { type: string; vmid: number; name: string }) => `${g.type === 'qemu' ? 'VM' : 'CT'} ${g.vmid} (${g.name})`;

function runChange(from: RunState, to: RunState): ProxmoxChange['kind'] | undefined {
  if (from === to) return undefined;
  const up = (s: RunState) => s === 'running';
  if (to === 'paused') return 'paused';
  if (from === 'paused' && up(to)) return 'resumed';
  if (up(to)) return 'started';
  if (up(from) || from === 'paused') {
    if (to === 'stopped' || to === 'hibernated') return 'stopped';
  }
  return undefined;
}

export function diffClusters(cluster: string, prev: ClusterState | undefined, next: ClusterState, at: number): ProxmoxChange[] {
  if (!prev) return [];
  const out: ProxmoxChange[] = [];
  const push = (kind: ProxmoxChange['kind'], id: string, name: string, detail: string) => out.push({ at, cluster, kind, id, name, detail });

  const prevNodes = new Map(prev.nodes.map((n) => [n.name, n]));
  for (const n of next.nodes) {
    const before = prevNodes.get(n.name);
    if (before && before.status !== n.status) {
      if (n.status === 'offline') push('node-offline', `node/${n.name}`, n.name, `node ${n.name} went offline`);
      else if (n.status === 'online') push('node-online', `node/${n.name}`, n.name, `node ${n.name} is online again`);
    }
  }

  const prevGuests = new Map(prev.guests.map((g) => [g.id, g]));
  const nextIds = new Set(next.guests.map((g) => g.id));
  for (const g of next.guests) {
    const before = prevGuests.get(g.id);
    if (!before) {
      push('created', g.id, g.name, `${label(g)} appeared on ${g.node}`);
      continue;
    }
    if (before.node !== g.node) push('moved', g.id, g.name, `${label(g)} moved from ${before.node} to ${g.node}`);
    if (before.name !== g.name) push('renamed', g.id, g.name, `${g.type === 'qemu' ? 'VM' : 'CT'} ${g.vmid} was renamed from ${before.name} to ${g.name}`);
    const kind = runChange(runState(before), runState(g));
    if (kind) push(kind, g.id, g.name, `${label(g)} ${kind === 'stopped' && runState(g) === 'hibernated' ? 'was hibernated' : kind}`);
  }
  for (const g of prev.guests) {
    if (!nextIds.has(g.id)) push('removed', g.id, g.name, `${label(g)} is gone from ${g.node}`);
  }
  return out;
}

/** A bounded "what changed" history, newest last. */
export class ChangeHistory {
  private items: ProxmoxChange[] = [];

  constructor(private readonly limit = 500) {}

  add(changes: readonly ProxmoxChange[]): void {
    if (changes.length === 0) return;
    this.items.push(...changes);
    if (this.items.length > this.limit) this.items = this.items.slice(this.items.length - this.limit);
  }

  list(options: { cluster?: string; since?: number; limit?: number } = {}): ProxmoxChange[] {
    let out = this.items;
    if (options.cluster) out = out.filter((c) => c.cluster === options.cluster);
    if (options.since !== undefined) out = out.filter((c) => c.at > (options.since as number));
    if (options.limit !== undefined) out = out.slice(Math.max(0, out.length - options.limit));
    return [...out];
  }

  get size(): number {
    return this.items.length;
  }
}
