/**
 * The handle's per-guest controls: tests and the demo put a guest into a state directly (no
 * task), make it hang, ignore ACPI, lose its agent, or hold a lock.
 */
import { markStarted, markStopped } from './actions';
import type { ClusterState } from './cluster-state';
import type { GuestControl, GuestInfo } from './cluster-types';
import { agentAnswers, qmpstatus } from './guest-views';
import type { Guest } from './model';

export function requireLabGuest(state: ClusterState, vmid: number): Guest {
  const g = state.guests.get(vmid);
  if (!g) throw new Error(`no guest ${vmid} in the lab`);
  return g;
}

export function guestInfo(g: Guest): GuestInfo {
  const nic = g.nics[0];
  return {
    vmid: g.vmid,
    type: g.type,
    node: g.node,
    name: g.name,
    status: g.status,
    qmpstatus: g.type === 'qemu' ? qmpstatus(g) : g.status === 'running' ? (g.paused ? 'paused' : 'running') : 'stopped',
    template: g.template,
    tags: [...g.tags],
    hastate: g.hastate,
    lock: g.lock,
    hung: g.hung,
    ignoresAcpi: g.ignoresAcpi,
    agent: { configured: g.agentConfigured, running: agentAnswers(g) },
    mac: nic?.mac ?? '',
    ip: nic?.leased?.split('/')[0],
    snapshots: g.snapshots.map((s) => s.name),
  };
}

/** Controls look the guest up on every call, so they keep working (or fail clearly) after a destroy. */
export function guestControl(state: ClusterState, vmid: number): GuestControl {
  const guest = (): Guest => requireLabGuest(state, vmid);
  return {
    vmid,
    info: () => guestInfo(guest()),
    setStatus: (status) => {
      const g = guest();
      if (status === 'stopped') {
        markStopped(g);
        return;
      }
      if (g.status !== 'running') markStarted(state, g);
      g.paused = status === 'paused';
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
