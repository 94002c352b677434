/**
 * Snapshots: the list with its parent chain and the trailing "current" pseudo-entry, and the
 * create / rollback / delete tasks with the locks and texts of PVE::AbstractConfig.
 */
import type { Principal } from './auth';
import { markStarted, markStopped } from './power-state';
import type { ClusterState } from './cluster-state';
import { failure } from './errors';
import { guestConfig, volumeName } from './guest-views';
import type { Guest, Snapshot } from './model';

type Json = Record<string, unknown>;

export function listSnapshots(state: ClusterState, g: Guest): Json[] {
  const list: Json[] = [...g.snapshots]
    .sort((a, b) => a.snaptime - b.snaptime)
    .map((s) => {
      const entry: Json = { name: s.name, description: s.description, snaptime: s.snaptime };
      if (s.parent) entry.parent = s.parent;
      if (g.type === 'qemu') entry.vmstate = s.vmstate ? 1 : 0;
      return entry;
    });
  const current: Json = {
    name: 'current',
    description: 'You are here!',
    digest: state.digest(g),
    running: g.status === 'running' ? 1 : 0,
  };
  if (g.currentParent) current.parent = g.currentParent;
  list.push(current);
  return list;
}

export function requireSnapshot(g: Guest, name: string): Snapshot {
  const snap = findSnapshot(g, name);
  if (!snap) throw failure(`snapshot '${name}' does not exist`);
  return snap;
}

function findSnapshot(g: Guest, name: string): Snapshot | undefined {
  return g.snapshots.find((s) => s.name === name);
}

export function snapshotConfig(state: ClusterState, g: Guest, name: string): Json {
  const snap = requireSnapshot(g, name);
  const cfg = guestConfig(state, g);
  // The file's digest stays: clients send it back to guard concurrent edits.
  delete cfg.lock;
  cfg.snaptime = snap.snaptime;
  if (snap.description) cfg.description = snap.description;
  if (snap.parent) cfg.parent = snap.parent;
  else delete cfg.parent;
  if (g.type === 'qemu' && snap.vmstate) cfg.vmstate = `${g.storage}:vm-${g.vmid}-state-${name}`;
  return cfg;
}

interface SnapshotContext {
  state: ClusterState;
  guest: Guest;
  principal: Principal;
}

function kind(g: Guest): { prefix: 'qm' | 'vz'; label: 'VM' | 'CT' } {
  return g.type === 'qemu' ? { prefix: 'qm', label: 'VM' } : { prefix: 'vz', label: 'CT' };
}

/**
 * Runs a snapshot task holding `lock` on the guest. Checks that real nodes make inside the
 * worker (existing name, missing snapshot, locked guest) fail the task, not the request.
 */
function lockedTask(
  ctx: SnapshotContext,
  type: string,
  lock: string,
  check: () => string | undefined,
  work: () => readonly string[],
  durationScale = 1,
): string {
  const { state, guest: g, principal } = ctx;
  const { label } = kind(g);
  const refusal = g.lock ? `${label} is locked (${g.lock})` : check();
  if (refusal === undefined) {
    g.lock = lock;
    state.touch(g);
  }
  return state.startTask(
    {
      node: g.node,
      type,
      id: String(g.vmid),
      user: principal.userid,
      durationMs: state.taskDuration(durationScale),
      failWith: refusal,
      finish: () => {
        if (g.lock === lock) g.lock = undefined;
        state.touch(g);
        return work();
      },
    },
    g.vmid,
  ).upid;
}

export function createSnapshot(ctx: SnapshotContext, name: string, description: string, vmstate: boolean): string {
  const { state, guest: g } = ctx;
  if (name === 'current') throw failure("unable to use snapshot name 'current' (reserved name)");
  if (name.toLowerCase() === 'pending') throw failure("unable to use snapshot name 'pending' (reserved name)");
  const { prefix } = kind(g);
  const withRam = g.type === 'qemu' && vmstate && g.status === 'running';
  return lockedTask(
    ctx,
    `${prefix}snapshot`,
    'snapshot',
    () => {
      if (g.template) return `you can't take a snapshot if it's a template`;
      if (findSnapshot(g, name)) return `snapshot name '${name}' already used`;
      return undefined;
    },
    () => {
      g.snapshots.push({
        name,
        description,
        snaptime: state.clock.nowSec(),
        parent: g.currentParent,
        vmstate: withRam,
        wasRunning: g.status === 'running',
      });
      g.currentParent = name;
      const lines: string[] = [];
      if (withRam) {
        lines.push(`saving VM state and RAM using storage '${g.storage}'`, 'completed saving the VM state in 1s, saved 412.55 MiB');
      }
      if (g.type === 'qemu') lines.push(`snapshotting 'drive-scsi0' (${g.storage}:${volumeName(g)})`);
      lines.push(`  Logical volume "snap_${volumeName(g)}_${name}" created.`);
      if (withRam) lines.push('resuming VM again');
      return lines;
    },
    withRam ? 1.5 : 1,
  );
}

export function rollbackSnapshot(ctx: SnapshotContext, name: string, start: boolean): string {
  const { state, guest: g } = ctx;
  const { prefix } = kind(g);
  return lockedTask(
    ctx,
    `${prefix}rollback`,
    'rollback',
    () => (findSnapshot(g, name) ? undefined : `snapshot '${name}' does not exist`),
    () => {
      const snap = findSnapshot(g, name);
      if (!snap) return [];
      // Rolling back replaces the running state: the guest stops, unless RAM was saved with the snapshot.
      if (g.type === 'qemu' && snap.vmstate && snap.wasRunning) markStarted(state, g);
      else markStopped(g);
      if (start && g.status !== 'running') markStarted(state, g);
      g.currentParent = name;
      return [`  Logical volume "${volumeName(g)}" successfully removed.`, `  Logical volume "${volumeName(g)}" created.`];
    },
  );
}

export function deleteSnapshot(ctx: SnapshotContext, name: string): string {
  const { guest: g } = ctx;
  const { prefix } = kind(g);
  return lockedTask(
    ctx,
    `${prefix}delsnapshot`,
    'snapshot-delete',
    () => (findSnapshot(g, name) ? undefined : `snapshot '${name}' does not exist`),
    () => {
      const snap = findSnapshot(g, name);
      if (!snap) return [];
      g.snapshots = g.snapshots.filter((s) => s !== snap);
      for (const s of g.snapshots) if (s.parent === name) s.parent = snap.parent;
      if (g.currentParent === name) g.currentParent = snap.parent;
      return [`  Logical volume "snap_${volumeName(g)}_${name}" successfully removed.`];
    },
    0.5,
  );
}
