/**
 * Follows each node host's power. A node is reachable only while "on": otherwise its listener
 * is closed, its tasks and consoles end, and — when it loses power or shuts down rather than
 * suspends — its guests stop. Back on after a cold boot, guests marked onboot (or HA "started")
 * come up again. Changes are applied one after another per node, so listen and close never
 * interleave however fast the host flips.
 */
import type { LabPower } from '../types';
import { markStarted, markStopped } from './power-state';
import type { ClusterState } from './cluster-state';
import type { ConsoleManager } from './console';
import type { NodeRecord } from './model';
import type { NodeListener } from './server';

export class NodePowerFollower {
  private readonly queues = new Map<string, Promise<void>>();
  private readonly coldBoot = new Set<string>();
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly state: ClusterState,
    private readonly consoles: ConsoleManager,
    private readonly listeners: ReadonlyMap<string, NodeListener>,
  ) {}

  /** Applies every node's current power, then follows changes. */
  async start(): Promise<void> {
    for (const node of this.state.nodes) {
      await this.apply(node, node.host.power());
      this.unsubscribe.push(node.host.onPowerChange((power) => void this.enqueue(node, power)));
    }
  }

  async stop(): Promise<void> {
    for (const off of this.unsubscribe.splice(0)) off();
    await Promise.all([...this.queues.values()]);
  }

  private enqueue(node: NodeRecord, power: LabPower): Promise<void> {
    const next = (this.queues.get(node.name) ?? Promise.resolve()).then(() => this.apply(node, power)).catch(() => undefined);
    this.queues.set(node.name, next);
    return next;
  }

  private apply(node: NodeRecord, power: LabPower): Promise<void> {
    const { state } = this;
    const listener = this.listeners.get(node.name);
    if (!listener) return Promise.resolve();
    if (power === 'on') {
      if (node.offlineSince !== undefined && this.coldBoot.has(node.name)) {
        node.bootedAt = state.clock.now();
        for (const g of state.guestsOn(node.name)) {
          if (!g.template && (g.onboot || g.ha?.request === 'started')) markStarted(state, g);
        }
      }
      this.coldBoot.delete(node.name);
      node.offlineSince = undefined;
      return listener.listen();
    }
    if (node.offlineSince === undefined) node.offlineSince = state.clock.now();
    if (power === 'off' || power === 'shutting_down') {
      this.coldBoot.add(node.name);
      for (const g of state.guestsOn(node.name)) {
        if (g.status === 'running') markStopped(g);
        if (g.lock === 'suspending') g.lock = undefined;
      }
    }
    state.tasks.abortNode(node.name);
    this.consoles.closeNode(node.name);
    return listener.close();
  }
}
