import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLab, type Lab, type LabOptions } from '../../../src/lab/lab';
import type { LabHostDescription } from '../../../src/lab/description';
import { createApp, type RackdeckApp } from '../../../src/main/root/app';
import { localTransport } from '../../../src/main/ipc/local-transport';
import { silentLogger } from '../../../src/main/base/logger';
import { labInventory } from '../../../src/main/faces/demo/lab-inventory';
import { createClient, type RackdeckClient } from '../../../src/shared/contract';
import type { ServerInput } from '../../../src/shared/server';
import type { SettingsInput } from '../../../src/shared/settings';
import type { Cleanup } from './cleanup';
import { FAST_SETTINGS } from './home';

/**
 * A lab for one test file: its own loopback block (`firstAddress`), any free WoL port, short
 * boot/suspend/task delays and a quick-to-make EC certificate, so files run side by side and
 * nothing waits for realistic times. Stopped on cleanup.
 */
export async function startTestLab(cleanup: Cleanup, options: LabOptions & { firstAddress: string }): Promise<Lab> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-e2e-lab-'));
  cleanup.add(`remove ${stateDir}`, () => fs.rmSync(stateDir, { recursive: true, force: true }));
  const lab = await startLab({
    hosts: 6,
    wolPort: 0,
    bootDelayMs: 600,
    suspendDelayMs: 400,
    singleAddress: false,
    stateDir,
    ...options,
    proxmox: options.proxmox === false ? false : { guests: 8, taskDelayMs: 300, shutdownTimeoutMs: 2_000, authFailDelayMs: 0, certificateKey: 'ec', ...(options.proxmox ?? {}) },
  });
  cleanup.add('stop the lab', () => lab.stop());
  return lab;
}

export interface SeedOptions {
  /** Child hostname → parent hostname: the child's parent in the inventory. */
  parents?: Record<string, string>;
  /** Leave the lab's Proxmox cluster out of the inventory. */
  withoutCluster?: boolean;
  settings?: SettingsInput;
  /** Changes to a host's server before it is added. */
  tweak?: (server: ServerInput, host: LabHostDescription) => ServerInput;
  /** More setup through the typed client once the inventory is in (agent receiver, watch options…). */
  after?: (client: RackdeckClient, app: RackdeckApp) => Promise<void>;
}

export interface SeededHome {
  home: string;
  /** Lab hostname → server id. */
  ids: Record<string, string>;
}

/**
 * Writes a Rackdeck home for a running lab the way an admin (or `rackdeck demo`) would: through
 * a short-lived app and the typed client, so every value passes the same validation as in the
 * UI. Servers come from `labInventory`, SecureOn passwords go to the encrypted secrets store, the
 * cluster is added with its certificate pinned. `rackdeck serve` then starts on this home.
 */
export async function seedLabHome(cleanup: Cleanup, lab: Lab, options: SeedOptions = {}): Promise<SeededHome> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-e2e-home-'));
  cleanup.add(`remove ${home}`, () => fs.rmSync(home, { recursive: true, force: true }));
  const app = createApp({ home, face: 'cli', log: silentLogger });
  try {
    const client = createClient(localTransport(app, 'cli'));
    app.engine.updateSettings({ ...FAST_SETTINGS, ...options.settings } as Parameters<typeof app.engine.updateSettings>[0]);
    const description = lab.describe();
    const inventory = labInventory(description);
    const ids: Record<string, string> = {};
    const parents = options.parents ?? {};
    // Parents first, so a child can name its parent's id.
    const ordered = [...inventory.servers].sort((a, b) => Number(a.name in parents) - Number(b.name in parents));
    for (const server of ordered) {
      const host = description.hosts.find((h) => h.hostname === server.name)!;
      let input = options.tweak ? options.tweak(server, host) : server;
      const parent = parents[server.name];
      if (parent) input = { ...input, parentId: ids[parent]! };
      const view = await client.servers.add(input);
      ids[server.name] = view.id;
      const password = inventory.wolPasswords[server.name];
      if (password) await client.power.setSecret({ id: view.id, name: 'wol.password', value: password });
    }
    if (inventory.cluster && !options.withoutCluster) await client.proxmox.addCluster({ ...inventory.cluster, discovery: true, intervalMs: 2_000 });
    await options.after?.(client, app);
    return { home, ids };
  } finally {
    await app.stop();
  }
}

/** A lab host that sleeps now and wakes by magic packet (no SecureOn, NIC set to wake on g). */
export function wakeableHosts(lab: Lab): LabHostDescription[] {
  return lab.describe().hosts.filter((h) => h.role !== 'proxmox' && h.wakeOn.includes('g') && !h.secureOn);
}
