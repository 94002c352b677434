import type { BulkAction } from '../../shared/contract/proxmox';
import type { PowerAction } from '../../shared/server';
import { tagsFrom } from '../power/bulk-handlers';
import { BulkRunner } from '../power/bulk-runner';
import type { Core } from './core';

/** What a generic action is in a cluster's bulk call (a reboot has none: it goes guest by guest). */
const CLUSTER_ACTION: Partial<Record<PowerAction, BulkAction>> = { wake: 'start', shutdown: 'shutdown', suspend: 'suspend', hibernate: 'suspend' };

/**
 * The bulk runner (issue 17), on the core's engine, power control and Proxmox: its commands are
 * the power controller's own (so every check and transition is the card's), its guests go in
 * their cluster's bulk call, and its runs stop with the engine.
 */
export function composeBulk(core: Pick<Core, 'engine' | 'power' | 'proxmox'>): BulkRunner {
  const { engine, power, proxmox } = core;
  const host = engine.powerHost();
  const runner = new BulkRunner({
    clock: host.clock,
    log: host.log,
    world: () => ({
      servers: engine.servers(),
      powerOf: (id) => engine.view(id)?.power ?? 'unknown',
      capabilities: (s) => power.capabilities(s),
      tagsOf: tagsFrom(engine),
      guestBulk: true,
    }),
    settings: () => engine.settings.bulk,
    // The plan already left out a parent whose running children stay up: the rest is confirmed.
    run: (id, action) => void power.run(id, action, { confirm: true }),
    waitSettled: (id) => power.waitSettled(id),
    sent: async (id) => {
      await power.sent(id);
      // A command that failed before or while sending ends its transition with the reason.
      const view = engine.view(id);
      return view?.lastError && !view.transition ? { error: view.lastError.message } : {};
    },
    clusterBulk: async (ids, action) => {
      const verb = CLUSTER_ACTION[action];
      if (!verb) throw new Error(`a ${action} has no bulk call in Proxmox`);
      const result = await proxmox.bulk(ids, verb, action === 'hibernate' ? { toDisk: true } : {});
      // Proxmox names a skipped guest by its name (or the ref it was given).
      const idOf = (guest: string): string => ids.find((id) => id === guest || engine.view(id)?.name === guest || engine.view(id)?.proxmox?.guestName === guest) ?? guest;
      return { skipped: result.skipped.map((s) => ({ serverId: idOf(s.guest), reason: s.reason })) };
    },
    emit: (run) => engine.events.emit('bulk.run', run),
  });
  engine.attach({ start: () => undefined, stop: () => runner.stopAll() });
  return runner;
}
