import path from 'node:path';
import { isTransitional } from '../../shared/power';
import type { ServerView } from '../../shared/server';
import type { Engine } from '../inventory/engine';
import { VERSION } from '../base/version';
import { readAgentFiles } from './io/assets';
import { jsonFileAt } from './io/atomic-json';
import { startReceiver } from './io/receiver';
import { HEALTH_FILE } from './health-store';
import { AGENTS_FILE } from './key-store';
import { guestControlFromProxmox } from './proxmox-guests';
import { AgentsService } from './service';

/** A power-down under way: what the watchdog must never fight. A reboot or reset is not one. */
function poweringDown(v: ServerView): boolean {
  if (v.power === 'stopping' || v.power === 'suspending') return true;
  const action = v.transition?.action;
  return action === 'shutdown' || action === 'suspend' || action === 'hibernate';
}

const services = new WeakMap<Engine, AgentsService>();

/**
 * The one AgentsService of an engine, created on first use and attached to the engine's
 * lifecycle: the receiver binds and the watchdog ticks only while the engine runs.
 */
export function agentsServiceFor(engine: Engine, home: string): AgentsService {
  const existing = services.get(engine);
  if (existing) return existing;
  // The Proxmox capability resets guests unless a test or another face wired its own control.
  engine.hooks.guests ??= guestControlFromProxmox(engine.proxmox);
  // Installing an agent goes over the same pooled, pinned SSH as power commands.
  engine.hooks.shellFor ??= (id) => engine.power.shellFor(id);
  const service = new AgentsService({
    clock: engine.clock,
    log: engine.log,
    version: VERSION,
    hooks: engine.hooks,
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
    // The adapters are built here until the composition root (src/main/root) passes them in.
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
  services.set(engine, service);
  return service;
}
