import { isTransitional } from '../../shared/power';
import type { ProxmoxServerView, ServerConfig } from '../../shared/server';
import type { ClusterConfig } from '../../shared/contract/proxmox';
import type { PowerController, PowerHost } from '../power/controller';
import type { ProbeObservation } from '../inventory/status';
import { sameRuntime } from '../inventory/status';
import type { PowerSource, ProxmoxEnginePort } from './port';
import { applyReading } from './power-map';

/** The few engine internals the port is made of; the Engine hands them over in one small block. */
export interface EngineInternals {
  /** The runtime primitives the power controller also uses (runtime, setRuntime with notices, patches). */
  host: PowerHost;
  power: Pick<PowerController, 'takeReading' | 'capabilities' | 'ensureAwake'>;
  /** A probe-like observation: the power state machine decides while a command's transition lasts. */
  observe(id: string, obs: ProbeObservation): void;
  /** Adds, replaces and removes servers in one config write, with their runtime and patches. */
  applyDiscovered(upserts: ServerConfig[], removals: string[]): void;
  clusters(): ClusterConfig[];
  writeClusters(clusters: ClusterConfig[]): void;
  addPowerSource(source: PowerSource): void;
  addViewExtra(extra: (server: ServerConfig) => { proxmox?: ProxmoxServerView } | undefined): void;
}

export function buildProxmoxPort(e: EngineInternals): ProxmoxEnginePort {
  const { host } = e;
  return {
    clock: host.clock,
    log: host.log,
    servers: () => host.servers(),
    applyDiscovered: (upserts, removals) => e.applyDiscovered(upserts, removals),
    reportPower: (id, reading) => {
      const prev = host.runtime(id);
      if (!prev) return;
      // A guest command of the power controller concludes from the state read back after its task.
      if (e.power.takeReading(id, reading)) return;
      // A power command of the power controller (a wake of this node) is in flight: its state machine decides, as with a probe.
      if (isTransitional(prev.power) && prev.transition) return e.observe(id, { openPorts: { api: reading.up }, ...(!reading.up && reading.detail ? { error: reading.detail } : {}) });
      const next = applyReading(prev, reading, host.clock.now());
      if (!sameRuntime(prev, next) || prev.lastSeen !== next.lastSeen) host.setRuntime(id, next);
    },
    holdTransitional: (id, state, detail) => {
      const prev = host.runtime(id);
      // Never over a power controller's own transition.
      if (!prev || prev.transition) return;
      const { detail: _old, ...rest } = prev;
      host.setRuntime(id, { ...rest, power: state, since: host.clock.now(), ...(detail ? { detail } : {}) });
    },
    touch: (id) => host.changed(id),
    clusters: () => e.clusters(),
    writeClusters: (clusters) => e.writeClusters(clusters),
    notify: (notice) => host.notify(notice),
    addPowerSource: (source) => e.addPowerSource(source),
    addViewExtra: (extra) => e.addViewExtra(extra),
    powerOf: (id) => host.runtime(id)?.power,
    canWake: (id) => {
      const s = host.servers().find((x) => x.id === id);
      return s ? e.power.capabilities(s).wake : false;
    },
    // Waits for a wake already under way (the reconcile loop's, the admin's) instead of sending another.
    wake: (id) => e.power.ensureAwake(id),
  };
}
