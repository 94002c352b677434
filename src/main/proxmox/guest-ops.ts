import type { GuestAction, GuestAddress, SnapshotTree } from '../../shared/contract/proxmox';
import type { PowerAction } from '../../shared/server';
import { ProxmoxError } from '../drivers/proxmox/model/errors';
import { actionRefusal, runState, stateFromStatus, type ActionOptions, type GuestState } from '../drivers/proxmox/model/guests';
import { guestActionFor, TRANSITIONAL_FOR } from './actions-map';
import { haAction, haRequestFor } from './ha-ops';
import { guestPower } from './power-map';
import type { Catalog } from './catalog';
import type { ClusterBook, ClusterRuntime } from './cluster-book';
import { withRunState, type FrozenContainers } from './frozen';
import { ensureNodeUp } from './node-wake';
import type { ProxmoxEnginePort } from './port';
import type { GuestCandidate } from './resolve';
import type { TaskFollowing } from './task-following';
import type { TrackedTask } from './tasks-registry';

export interface GuestOpsDeps {
  engine: ProxmoxEnginePort;
  book: ClusterBook;
  catalog: Pick<Catalog, 'resolve'>;
  following: Pick<TaskFollowing, 'track' | 'waitTask'>;
  frozen: FrozenContainers;
  /** Guests whose start waits for their node to wake: discovery leaves their "waking" alone. */
  waking: Set<string>;
  /** One discovery refresh of a cluster. */
  refresh(rt: ClusterRuntime): Promise<unknown>;
  /** Writes a cluster's discovered servers again (a guest's address was learned). */
  syncInventory(rt: ClusterRuntime): void;
  taskPollMs?: number;
  nodeWaitMs?: number;
  /** How long the HA manager may take to start its task for a request (default 2 min). */
  haWaitMs?: number;
}

/**
 * Pure: the action that fits the guest's present state. A start asked of a paused or
 * hibernated guest is its resume: the CLI's `wake` and a card drawn before the guest paused
 * both say "start" and mean "make it run".
 */
export function fittingAction(action: GuestAction, state: GuestState): GuestAction {
  const run = runState(state);
  return action === 'start' && (run === 'paused' || run === 'hibernated') ? 'resume' : action;
}

/**
 * What is done to a guest: the power actions (its node woken first when it sleeps), delete,
 * snapshots, and reading its addresses. Every action that starts a task hands it to task
 * following; `wait` resolves once it ended and the guest's state was read back.
 */
export class GuestOps {
  constructor(private readonly deps: GuestOpsDeps) {}

  /**
   * Runs a guest action: refuses what the guest's present state does not allow (read fresh
   * from the guest), holds the transitional state, and follows the task to its end in the
   * background; the end state is read back from the guest. `wait` resolves at the end.
   */
  async guestAction(ref: string, action: GuestAction, options: ActionOptions & { wait?: boolean } = {}): Promise<TrackedTask> {
    const { book, engine, frozen } = this.deps;
    const g = await this.deps.catalog.resolve(ref);
    const rt = book.get(g.cluster);
    if (action === 'start' || action === 'resume') await this.ensureNodeUp(rt, g);
    this.deps.waking.delete(g.serverId);
    const client = book.clientOf(rt);
    const fresh = await client.guestStatus(g);
    const state = stateFromStatus(g.type, frozen.apply(withRunState(g, fresh)));
    const act = fittingAction(action, state);
    const managed = fresh.ha ? fresh.ha.managed && fresh.ha.state !== 'ignored' : undefined;
    const want = haRequestFor(act, { ...state, hastate: g.hastate, ...(managed !== undefined ? { haManaged: managed } : {}) });
    if (!want) {
      const upid = await client.action({ ...g, ...state }, act, options);
      engine.holdTransitional(g.serverId, TRANSITIONAL_FOR[act], `${act}: task running`);
      return this.started(rt, upid, act, g, options.wait);
    }
    // HA-managed: the HA state is requested and the resource manager's task is followed.
    const refused = actionRefusal({ ...state, vmid: g.vmid }, act);
    if (refused) throw new ProxmoxError(refused.kind, refused.message);
    engine.holdTransitional(g.serverId, TRANSITIONAL_FOR[act], `${act}: HA state ${want} requested, waiting for the HA manager`);
    try {
      const pollMs = this.deps.taskPollMs ?? 1000;
      const { upid } = await haAction({ client, clock: engine.clock, pollMs, waitMs: this.deps.haWaitMs ?? 120_000 }, { ...g, ...state }, act, want);
      return this.started(rt, upid, act, g, options.wait);
    } catch (error) {
      engine.reportPower(g.serverId, guestPower({ ...g, ...state }));
      throw error;
    }
  }

  /** For the reconcile loop and the tray: a generic power action on a guest server. */
  async runPowerAction(serverId: string, action: PowerAction): Promise<TrackedTask> {
    const g = await this.deps.catalog.resolve(serverId);
    const rt = this.deps.book.get(g.cluster);
    if (action === 'wake') await this.ensureNodeUp(rt, g);
    const fresh = await this.deps.book.clientOf(rt).guestStatus(g);
    const ga = guestActionFor(action, this.deps.frozen.apply(withRunState(g, fresh)));
    if (!ga) throw new ProxmoxError('not_running', `${g.name} cannot ${action} in its present state`);
    return this.guestAction(g.serverId, ga);
  }

  async deleteGuest(ref: string, confirmName: string): Promise<TrackedTask> {
    const g = await this.deps.catalog.resolve(ref);
    if (confirmName !== g.name) throw new ProxmoxError('parameter', `Type the guest's name "${g.name}" exactly to delete it`, { errors: { confirmName: `type ${g.name}` } });
    const rt = this.deps.book.get(g.cluster);
    const client = this.deps.book.clientOf(rt);
    const fresh = await client.guestStatus(g);
    if (fresh.status !== 'stopped') throw new ProxmoxError('not_running', `${g.name} is ${fresh.status}: stop it before deleting it`);
    const upid = await client.deleteGuest(g);
    return this.started(rt, upid, 'delete', g);
  }

  async snapshots(ref: string): Promise<SnapshotTree & { guest: GuestCandidate }> {
    const g = await this.deps.catalog.resolve(ref);
    const tree = await this.deps.book.clientOf(this.deps.book.get(g.cluster)).snapshots(g);
    return { ...tree, guest: g };
  }

  async createSnapshot(ref: string, input: { name: string; description?: string; vmstate?: boolean; wait?: boolean }): Promise<TrackedTask> {
    const g = await this.deps.catalog.resolve(ref);
    const rt = this.deps.book.get(g.cluster);
    const upid = await this.deps.book.clientOf(rt).createSnapshot(g, { name: input.name, ...(input.description ? { description: input.description } : {}), ...(input.vmstate ? { vmstate: true } : {}) });
    return this.started(rt, upid, `snapshot ${input.name}`, g, input.wait);
  }

  async rollbackSnapshot(ref: string, name: string, options: { start?: boolean; wait?: boolean } = {}): Promise<TrackedTask> {
    const g = await this.deps.catalog.resolve(ref);
    const rt = this.deps.book.get(g.cluster);
    const upid = await this.deps.book.clientOf(rt).rollbackSnapshot(g, name, options.start !== undefined ? { start: options.start } : {});
    return this.started(rt, upid, `rollback ${name}`, g, options.wait);
  }

  async deleteSnapshot(ref: string, name: string, options: { wait?: boolean } = {}): Promise<TrackedTask> {
    const g = await this.deps.catalog.resolve(ref);
    const rt = this.deps.book.get(g.cluster);
    const upid = await this.deps.book.clientOf(rt).deleteSnapshot(g, name);
    return this.started(rt, upid, `delete snapshot ${name}`, g, options.wait);
  }

  /** A guest's IPs (agent, LXC interfaces, config); the first becomes its server's address. */
  async addresses(ref: string): Promise<GuestAddress[]> {
    const g = await this.deps.catalog.resolve(ref);
    const rt = this.deps.book.get(g.cluster);
    const list = await this.deps.book.clientOf(rt).addresses({ ...g, running: g.status === 'running' });
    rt.addresses.set(g.id, list);
    if (rt.config.discovery) this.deps.syncInventory(rt);
    this.deps.engine.touch(g.serverId);
    return list;
  }

  /** Hands a started task to task following; with `wait`, resolves at its end. */
  private started(rt: ClusterRuntime, upid: string, action: string, g: GuestCandidate, wait?: boolean): Promise<TrackedTask> | TrackedTask {
    const task = this.deps.following.track(rt, upid, action, g);
    return wait ? this.deps.following.waitTask(task.upid) : task;
  }

  private ensureNodeUp(rt: ClusterRuntime, g: GuestCandidate): Promise<void> {
    return ensureNodeUp(
      {
        engine: this.deps.engine,
        online: () => rt.status.state === 'ok' && rt.last?.resources.nodes.find((n) => n.name === g.node)?.status === 'online',
        refresh: async () => void (await this.deps.refresh(rt)),
        waking: this.deps.waking,
        nodeWaitMs: this.deps.nodeWaitMs ?? 5 * 60_000,
        pollMs: this.deps.taskPollMs ?? 2_000,
      },
      g,
    );
  }
}
