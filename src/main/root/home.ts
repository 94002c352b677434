import { systemClock, type Clock } from '../base/clock';
import { consoleLogger, type Logger } from '../base/logger';
import { probeHost, type Prober } from '../drivers/probe';
import { openConfigStore } from '../store/config-store';
import { tidyHome } from '../store/leftovers';
import { composeCore, type Core, type CoreOptions } from './core';

export interface HomeOptions {
  home: string;
  clock?: Clock;
  log?: Logger;
  probe?: Prober;
  /** When the OS resends an unanswered SYN (inventory/watch.ts): for tests of the watch with a fake prober. */
  synRetriesMs?: readonly number[];
  /** Power control: loop timings, fake drivers in tests. */
  power?: CoreOptions['power'];
  /** Proxmox: timings and client factories for tests. */
  proxmox?: CoreOptions['proxmox'];
}

/**
 * Opens a home for an engine: tidies what a crash left, reads config.json (keeping a damaged one
 * aside) and builds the core on it. The first step of every composition (root/app.ts,
 * root/stepped.ts).
 */
export function openHome(options: HomeOptions): Core {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? consoleLogger;
  for (const file of tidyHome(options.home)) log.info(`removed ${file}, a write a crash interrupted (the file it was for is intact)`);
  const store = openConfigStore(options.home);
  if (store.recovery) log.warn(`config.json could not be read (${store.recovery.reason}); kept it as ${store.recovery.backupPath}`);
  return composeCore({
    home: options.home,
    store,
    clock,
    log,
    probe: options.probe ?? probeHost,
    ...(options.synRetriesMs ? { synRetriesMs: options.synRetriesMs } : {}),
    ...(options.power ? { power: options.power } : {}),
    ...(options.proxmox ? { proxmox: options.proxmox } : {}),
  });
}
