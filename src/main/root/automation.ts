import type { AutomationHost, AutomationTuning } from '../automation/ports';
import { AutomationService } from '../automation/service';
import type { MonitoringService } from '../monitoring/service';
import type { Core } from './core';

/** Timings, and any port a test brings of its own (the real one otherwise). */
export type AutomationOptions = AutomationTuning & Partial<Pick<AutomationHost, 'who' | 'figures' | 'backups'>>;

/**
 * Builds schedules and idle auto-suspend (issue 17) on the core and the monitoring: power
 * commands through the power controller, `who` over its pooled SSH, figures from the
 * monitoring, backups from Proxmox's node tasks, runs into the action log. Attached after the
 * monitoring, so it stops before it.
 */
export function composeAutomation(core: Core, monitoring: MonitoringService, options: AutomationOptions = {}): AutomationService {
  const { engine, power, proxmox } = core;
  const { who, figures, backups, ...tuning } = options;
  const host: AutomationHost = {
    clock: engine.clock,
    log: engine.log,
    servers: () => engine.servers(),
    find: (ref) => engine.find(ref),
    power: (id) => {
      const v = engine.view(id);
      return v ? { state: v.power, since: v.since } : undefined;
    },
    settings: { read: () => engine.settings.automation, write: (next) => void engine.updateSettings({ automation: next }) },
    run: (id, action) => void power.run(id, action),
    setDesired: (id, desired) => void power.setDesired(id, desired),
    who:
      who ??
      (async (id) => {
        const shell = await power.shellFor(id);
        const r = await shell.exec('who', { timeoutMs: 15_000 });
        if (r.code !== 0) throw new Error(`who exited with ${r.code}${r.stderr ? `: ${r.stderr.trim().slice(0, 200)}` : ''}`);
        return r.stdout;
      }),
    figures: figures ?? (async (id) => (await monitoring.latest([id]))[0]?.sample),
    backups:
      backups ??
      (async (server) => {
        const px = server.proxmox;
        if (!px || px.vmid !== undefined) return undefined;
        const tasks = await proxmox.nodeTasks(px.node, px.cluster, 100, 'active');
        return tasks.filter((t) => t.type === 'vzdump' && t.status === 'running').map((t) => t.id || t.upid);
      }),
    logAction: (entry) => monitoring.logAction(entry),
    notify: (notice) => engine.notify(notice),
  };
  const service = new AutomationService(host, tuning);
  engine.onForget((id) => service.forget(id));
  engine.attach(service);
  return service;
}
