/**
 * Everything the simulated cluster knows, shared by all node listeners: nodes, guests,
 * storages, tasks, credentials and faults. Requests to any online node see the same state,
 * as with pmxcfs on a real cluster.
 */
import { createHash } from 'node:crypto';
import type { Rng } from '../random';
import type { AccessControl } from './access-control';
import type { Authenticator } from './auth';
import type { LabClock } from './clock';
import { failure } from './errors';
import type { Faults } from './faults';
import type { Figures } from './figures';
import type { Guest, GuestType, NodeRecord, StorageDef, StorageFile } from './model';
import type { PveProfile } from './profile';
import type { LabRepoState } from './repos';
import { failureText, type TaskRecord, type TaskRegistry, type TaskSpec } from './tasks';

export interface LabSettings {
  seed: number;
  clusterName: string;
  taskDelayMs?: number;
  shutdownTimeoutMs: number;
  authFailDelayMs: number;
  ticketLifetimeMs: number;
  consoleTicketLifetimeMs: number;
}

export interface ClusterStateParts {
  settings: LabSettings;
  /** The Proxmox VE release the cluster runs. */
  profile: PveProfile;
  clock: LabClock;
  nodes: NodeRecord[];
  guests: Guest[];
  storages: StorageDef[];
  files: StorageFile[];
  tasks: TaskRegistry;
  auth: Authenticator;
  access: AccessControl;
  faults: Faults;
  figures: Figures;
  /** Runtime randomness (task durations); a stream separate from generation. */
  rng: Rng;
}

export class ClusterState {
  readonly settings: LabSettings;
  readonly profile: PveProfile;
  readonly clock: LabClock;
  readonly nodes: readonly NodeRecord[];
  readonly guests = new Map<number, Guest>();
  readonly storages: readonly StorageDef[];
  readonly files: StorageFile[];
  readonly tasks: TaskRegistry;
  readonly auth: Authenticator;
  readonly access: AccessControl;
  readonly faults: Faults;
  readonly figures: Figures;
  /** Per node, once read or changed: its subscription and repositories (repos.ts holds the default). */
  readonly repos = new Map<string, LabRepoState>();
  private readonly rng: Rng;
  private readonly nodeByName = new Map<string, NodeRecord>();

  constructor(parts: ClusterStateParts) {
    this.settings = parts.settings;
    this.profile = parts.profile;
    this.clock = parts.clock;
    this.nodes = parts.nodes;
    this.storages = parts.storages;
    this.files = parts.files;
    this.tasks = parts.tasks;
    this.auth = parts.auth;
    this.access = parts.access;
    this.faults = parts.faults;
    this.figures = parts.figures;
    this.rng = parts.rng;
    for (const node of parts.nodes) this.nodeByName.set(node.name, node);
    for (const guest of parts.guests) this.guests.set(guest.vmid, guest);
  }

  isOnline(node: NodeRecord): boolean {
    return node.host.power() === 'on';
  }

  findNode(name: string): NodeRecord | undefined {
    return this.nodeByName.get(name);
  }

  /** What a node answers when asked to proxy to a node name it cannot resolve. */
  requireNode(name: string): NodeRecord {
    const node = this.nodeByName.get(name);
    if (!node) {
      throw failure(`hostname lookup '${name}' failed - failed to get address info for: ${name}: Name or service not known`);
    }
    return node;
  }

  quorate(): boolean {
    const online = this.nodes.filter((n) => this.isOnline(n)).length;
    return online * 2 > this.nodes.length;
  }

  /** A missing guest is a 500 naming its config file, never a 404. */
  requireGuest(node: string, type: GuestType, vmidText: string): Guest {
    const vmid = Number(vmidText);
    const guest = this.guests.get(vmid);
    if (!guest || guest.node !== node || guest.type !== type) {
      const dir = type === 'qemu' ? 'qemu-server' : 'lxc';
      throw failure(`Configuration file 'nodes/${node}/${dir}/${vmid}.conf' does not exist`);
    }
    return guest;
  }

  guestsOn(node: string): Guest[] {
    const list: Guest[] = [];
    for (const g of this.guests.values()) if (g.node === node) list.push(g);
    return list;
  }

  sortedGuests(): Guest[] {
    return [...this.guests.values()].sort((a, b) => a.vmid - b.vmid);
  }

  nodeUptime(name: string): number {
    const node = this.nodeByName.get(name);
    return node ? Math.max(0, Math.floor((this.clock.now() - node.bootedAt) / 1000)) : 0;
  }

  /** Duration of the next task: fixed when configured, else 1–3 s like a real start or stop. */
  taskDuration(scale = 1): number {
    const base = this.settings.taskDelayMs ?? this.rng.int(1000, 3000);
    return Math.round(base * scale);
  }

  /** Stands in for the SHA1 of the config file: changes whenever the config does. */
  digest(guest: Guest): string {
    return createHash('sha1').update(`${this.settings.seed}:${guest.vmid}:${guest.configVersion}`).digest('hex');
  }

  /** Starts a worker task; an active failTasks fault turns it into a failing one. */
  startTask(spec: TaskSpec, vmid?: number): TaskRecord {
    const failing = spec.failWith === undefined && !spec.held && this.faults.failTask(spec.type, vmid);
    return this.tasks.start(failing ? { ...spec, failWith: failureText(spec.type, spec.id) } : spec);
  }

  touch(guest: Guest): void {
    guest.configVersion++;
  }
}
