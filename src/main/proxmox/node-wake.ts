import type { ServerConfig } from '../../shared/server';
import { ProxmoxError } from '../drivers/proxmox/model/errors';
import { nodeServerId } from './inventory-map';
import type { ProxmoxEnginePort } from './port';
import type { GuestCandidate } from './resolve';

/**
 * Pure: which server to wake so that a guest's node runs again: the node itself if it can be
 * woken (a MAC or a wake command), else the closest ancestor that can (the physical host).
 */
export function wakeTargetFor(servers: readonly Pick<ServerConfig, 'id' | 'parentId'>[], nodeId: string, canWake: (id: string) => boolean): string | undefined {
  const byId = new Map(servers.map((s) => [s.id, s]));
  const chain: string[] = [];
  for (let id: string | undefined = nodeId; id && !chain.includes(id); id = byId.get(id)?.parentId) chain.push(id);
  return chain.find(canWake);
}

export interface NodeWakeContext {
  engine: ProxmoxEnginePort;
  /** Whether the cluster answers and lists the guest's node online. */
  online(): boolean;
  /** One discovery refresh of the guest's cluster. */
  refresh(): Promise<void>;
  /** Guests waiting for their node: discovery leaves their "waking" alone. */
  waking: Set<string>;
  nodeWaitMs: number;
  pollMs: number;
}

/**
 * A guest can start only on a running node. A node the cluster reports offline (or a cluster
 * that does not answer at all: it may be that very node, asleep) is woken first through the
 * power controller, which wakes the physical host under it by Wake-on-LAN; then the cluster
 * is asked until it sees the node online again.
 */
export async function ensureNodeUp(ctx: NodeWakeContext, g: GuestCandidate): Promise<void> {
  const { engine } = ctx;
  if (ctx.online()) return;
  const servers = engine.servers();
  const target = wakeTargetFor(servers, nodeServerId(g.cluster, g.node), (id) => engine.canWake(id));
  if (!target) throw new ProxmoxError('unreachable', `${g.name} cannot start: its node ${g.node} is not running and neither it nor its host can be woken (set the host's MAC address)`);
  const targetName = servers.find((s) => s.id === target)?.name ?? target;
  ctx.waking.add(g.serverId);
  engine.holdTransitional(g.serverId, 'waking', `waking ${targetName} first`);
  try {
    const up = engine.powerOf(target);
    if (up !== 'on' && up !== 'init_failed') {
      const outcome = await engine.wake(target);
      if (outcome !== 'reached') throw new ProxmoxError('unreachable', `${g.name} cannot start: ${targetName} did not wake (${outcome})`);
    }
    const deadline = engine.clock.now() + ctx.nodeWaitMs;
    for (;;) {
      await ctx.refresh();
      if (ctx.online()) return;
      if (engine.clock.now() >= deadline) throw new ProxmoxError('unreachable', `${g.name} cannot start: node ${g.node} was not back in the cluster in time`);
      await new Promise<void>((resolve) => engine.clock.setTimeout(resolve, ctx.pollMs));
    }
  } catch (error) {
    ctx.waking.delete(g.serverId);
    engine.reportPower(g.serverId, { power: 'unknown', up: false, detail: error instanceof Error ? error.message : String(error) });
    throw error;
  }
}
