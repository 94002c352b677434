/**
 * The handle's per-guest controls: tests and the demo put a guest into a state directly (no
 * task), make it hang, ignore ACPI, lose its agent, hold a lock, lose its name, join or leave
 * HA, or gain a backup.
 */
import { recordBackup } from './backups';
import type { ClusterState } from './cluster-state';
import type { GuestControl, GuestInfo } from './cluster-types';
import { agentAnswers, guestName, qmpstatus } from './guest-views';
import type { Guest } from './model';
import { markStarted, markStopped } from './power-state';

export function requireLabGuest(state: ClusterState, vmid: number): Guest {
  const g = state.guests.get(vmid);
  if (!g) throw new Error(`no guest ${vmid} in the lab`);
  return g;
}

export function guestInfo(state: ClusterState, g: Guest): GuestInfo {
  const nic = g.nics[0];
  return {
    vmid: g.vmid,
    type: g.type,
    node: g.node,
    name: guestName(g),
    named: g.name !== undefined,
    status: g.status,
    qmpstatus: g.type === 'qemu' ? qmpstatus(g) : g.status === 'running' ? (g.paused ? 'paused' : 'running') : 'stopped',
    template: g.template,
    tags: [...g.tags],
    hastate: g.ha?.service,
    haRequest: g.ha?.request,
    lock: g.lock,
    hung: g.hung,
    ignoresAcpi: g.ignoresAcpi,
    agent: { configured: g.agentConfigured, running: agentAnswers(g) },
    mac: nic?.mac ?? '',
    ip: nic?.leased?.split('/')[0],
    snapshots: g.snapshots.map((s) => s.name),
    backups: state.files
      .filter((f) => f.content === 'backup' && f.vmid === g.vmid)
      .sort((a, b) => a.ctime - b.ctime)
      .map((f) => ({ volid: f.volid, ctime: f.ctime })),
  };
}

/** Controls look the guest up on every call, so they keep working (or fail clearly) after a destroy. */
export function guestControl(state: ClusterState, vmid: number): GuestControl {
  const guest = (): Guest => requireLabGuest(state, vmid);
  return {
    vmid,
    info: () => guestInfo(state, guest()),
    setStatus: (status) => {
      const g = guest();
      if (status === 'stopped' || status === 'hibernated') {
        markStopped(g);
        if (status === 'hibernated') g.lock = 'suspended';
        else if (g.lock === 'suspended') g.lock = undefined;
        state.touch(g);
        return;
      }
      if (g.status !== 'running') markStarted(state, g);
      if (g.lock === 'suspended') g.lock = undefined;
      g.paused = status === 'paused';
    },
    setName: (name) => {
      const g = guest();
      g.name = name;
      state.touch(g);
    },
    setHa: (request) => {
      const g = guest();
      if (request === undefined) {
        g.ha = undefined;
        return;
      }
      if (request === 'started' && g.status !== 'running') markStarted(state, g);
      if ((request === 'stopped' || request === 'disabled') && g.status === 'running') markStopped(g);
      const service = request === 'started' ? 'started' : request;
      g.ha = { maxRestart: 1, maxRelocate: 1, failback: true, ...g.ha, request, service };
    },
    addBackup: (spec) => {
      const g = guest();
      const node = state.findNode(g.node);
      const startSec = Math.floor((state.clock.now() - spec.ageMs) / 1000);
      const run = { guest: g, startSec, ok: spec.ok ?? true, storage: spec.storage, bootedAtMs: node?.bootedAt ?? 0 };
      const volume = recordBackup(state.tasks, run, state.tasks.allocatePid());
      if (volume) state.files.push(volume);
    },
    setHung: (hung) => {
      guest().hung = hung;
    },
    setIgnoresAcpi: (ignores) => {
      guest().ignoresAcpi = ignores;
    },
    setAgent: (agent) => {
      const g = guest();
      if (agent.configured !== undefined) g.agentConfigured = agent.configured;
      if (agent.running !== undefined) g.agentInstalled = agent.running;
      state.touch(g);
    },
    setLock: (lock) => {
      const g = guest();
      g.lock = lock;
      state.touch(g);
    },
    setLoad: (load) => {
      const g = guest();
      if (load.cpu !== undefined) g.load.cpu = Math.min(1, Math.max(0, load.cpu));
      if (load.mem !== undefined) g.load.mem = Math.min(1, Math.max(0, load.mem));
    },
  };
}
