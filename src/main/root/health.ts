import path from 'node:path';
import { isTransitional } from '../../shared/power';
import type { ServerView } from '../../shared/server';
import { VERSION } from '../base/version';
import type { GuestControl, HealthSeams } from '../health/hooks';
import { HEALTH_FILE } from '../health/health-store';
import { readAgentFiles } from '../health/io/assets';
import { jsonFileAt } from '../health/io/atomic-json';
import { startReceiver } from '../health/io/receiver';
import { AGENTS_FILE } from '../health/key-store';
import { guestControlFromProxmox } from '../health/proxmox-guests';
import { AgentsService } from '../health/service';
import type { MonitoringService } from '../monitoring/service';
import type { Core } from './core';

/** A power-down under way: what the watchdog must never fight. A reboot or reset is not one. */
function poweringDown(v: ServerView): boolean {
  if (v.power === 'stopping' || v.power === 'suspending') return true;
  const action = v.transition?.action;
  return action === 'shutdown' || action === 'suspend' || action === 'hibernate';
}

/** What a test may bring instead of the real thing. */
export interface HealthOptions {
  /** Guest control (the Proxmox capability's otherwise). */
  guests?: GuestControl;
}

/**
 * Builds the health capability (agent keys, receiver, health monitor, watchdog, installer) on a
 * core and attaches it to the engine's lifecycle: the receiver binds and the watchdog ticks only
 * while the engine runs. Its seams reach Proxmox (guest resets), power control (the pooled,
 * pinned SSH for installs) and the monitoring (agent figures become history samples).
 */
export function composeHealth(core: Core, monitoring: MonitoringService, options: HealthOptions = {}): AgentsService {
  const { engine, home } = core;
  const seams: HealthSeams = {
    guests: options.guests ?? guestControlFromProxmox(core.proxmox),
    shellFor: (id) => core.power.shellFor(id),
    recordAgentSample: (id, sample) => monitoring.recordAgentSample(id, sample),
  };
  const service = new AgentsService({
    clock: engine.clock,
    log: engine.log,
    version: VERSION,
    hooks: seams,
    servers: {
      ids: () => engine.servers().map((s) => s.id),
      find: (ref) => {
        const s = engine.find(ref);
        return s ? { id: s.id, name: s.name, ...(s.ssh ? { sshUser: s.ssh.user } : {}) } : undefined;
      },
      view: (id) => {
        const v = engine.view(id);
        return v ? { power: v.power, ...(v.desired ? { desired: v.desired } : {}), transitioning: v.transition !== undefined || isTransitional(v.power) } : undefined;
      },
    },
    notify: (notice) => engine.notify({ level: notice.level, title: notice.title, body: notice.body, ...(notice.serverId ? { serverId: notice.serverId } : {}) }),
    emit: (view) => engine.events.emit('health.changed', view),
    files: { agents: jsonFileAt(path.join(home, AGENTS_FILE)), health: jsonFileAt(path.join(home, HEALTH_FILE)) },
    startReceiver,
    agentFiles: () => readAgentFiles(),
  });
  // A command that powers a server down (shutdown, suspend) is a deliberate act: the watchdog
  // keeps its hands off that guest for a while after it, not only while it runs.
  engine.events.on('servers.patch', (patch) => {
    for (const v of patch.upsert) if (poweringDown(v)) service.monitor.noteDeliberate(v.id);
    for (const id of patch.remove) service.forgetServer(id);
  });
  engine.attach(service);
  return service;
}
