import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../src/lab/lab';
import type { SimHost } from '../../src/lab/hosts/host';
import { systemClock } from '../../src/main/base/clock';
import { silentLogger } from '../../src/main/base/logger';
import { probeHost } from '../../src/main/drivers/probe';
import type { Engine } from '../../src/main/inventory/engine';
import type { BulkRunner } from '../../src/main/power/bulk-runner';
import type { PowerController } from '../../src/main/power/controller';
import { composeBulk } from '../../src/main/root/bulk';
import { composeCore } from '../../src/main/root/core';
import { openConfigStore } from '../../src/main/store/config-store';
import { serverInputSchema, type ServerInput, type ServerView } from '../../src/shared/server';

/**
 * A staggered group wake against the simulated homelab (issue 17): the real power controller
 * and UDP sender, the lab's Wake-on-LAN listener timing each packet as it arrives. 127.0.171.x
 * belongs to this file.
 */
const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-bulk-lab-'));
let lab: Lab;
let engine: Engine;
let power: PowerController;
let bulk: BulkRunner;

beforeAll(async () => {
  lab = await startLab({ proxmox: false, hosts: 5, seed: 171, firstAddress: '127.0.171.1', wolPort: 0, stateDir, bootDelayMs: 200, suspendDelayMs: 50, initialPower: 'on' });
  const core = composeCore({ store: openConfigStore(path.join(stateDir, 'home')), clock: systemClock, probe: probeHost, log: silentLogger, power: { fastPollMs: 100 } });
  ({ engine, power } = core);
  bulk = composeBulk(core);
});

afterAll(async () => {
  engine?.stop();
  await lab?.stop();
  fs.rmSync(stateDir, { recursive: true, force: true });
});

function addLabHost(host: SimHost, extra: Partial<ServerInput> = {}): ServerView {
  const nic = host.spec.nics[0];
  if (nic) host.machine.setWakeOn(nic.name, 'g');
  return engine.addServer(
    serverInputSchema.parse({
      name: host.hostname,
      address: host.address,
      mac: host.mac,
      ports: [host.spec.ports.ssh],
      // One packet per wake, to the lab's listener on loopback only.
      wol: { directedBroadcast: false, limitedBroadcast: false, extraTargets: ['127.0.0.1'], ports: [lab.wol.port] },
      powerControl: { timeouts: { wakeMs: 20_000 } },
      ...extra,
    }),
  );
}

describe('a staggered group wake against the lab', () => {
  it('sends the magic packets in the plan order, parents first, at least the configured delay apart', async () => {
    const hosts = lab.hosts.filter((h) => h.spec.os !== 'windows').slice(0, 4);
    expect(hosts).toHaveLength(4);
    const [parentHost, ...others] = hosts as [SimHost, ...SimHost[]];
    // The child is added before its parent's siblings so the plan, not the inventory, puts it last.
    const parent = addLabHost(parentHost, { groups: ['rack'] });
    const child = addLabHost(others[0] as SimHost, { groups: ['rack'], parentId: parent.id });
    const rest = others.slice(1).map((h) => addLabHost(h, { groups: ['rack', 'top'] }));
    await Promise.all(hosts.map(async (h) => {
      await h.suspend();
      await h.waitForPower('suspended');
    }));
    for (const s of [parent, child, ...rest]) expect((await engine.refresh(s.id)).power).toBe('off');

    const spacingMs = 400;
    const plan = bulk.plan('wake', { group: 'rack' }, spacingMs);
    const order = [parent.id, ...rest.map((s) => s.id), child.id];
    expect(plan.steps.map((s) => s.serverId)).toEqual(order);
    expect(plan.steps.map((s) => s.offsetMs)).toEqual([0, 400, 800, 1200]);

    const since = Date.now();
    const run = bulk.start('wake', { group: 'rack' }, spacingMs);
    const macs = [parent, ...rest, child].map((s) => s.mac?.toLowerCase());
    const packets = await Promise.all(macs.map((mac) => lab.wol.waitFor((e) => e.at >= since && e.mac === mac, 30_000)));
    expect(packets.map((p) => p.kind)).toEqual(['woke', 'woke', 'woke', 'woke']);
    // The order the listener saw them in is the plan's.
    const arrival = [...packets].sort((a, b) => a.at - b.at || lab.wol.events().indexOf(a) - lab.wol.events().indexOf(b));
    expect(arrival.map((p) => p.mac)).toEqual(macs);
    // The listener stamps arrivals with Date.now(), whole milliseconds: two stamps can each be
    // up to 1 ms off the instant they stand for, so a gap may read up to 2 ms short.
    const tolerance = 2;
    for (let i = 1; i < packets.length; i++) expect((packets[i] as { at: number }).at - (packets[i - 1] as { at: number }).at).toBeGreaterThanOrEqual(spacingMs - tolerance);

    const done = await bulk.wait(run.id);
    expect(done.state).toBe('done');
    expect(done.results.map((r) => r.status)).toEqual(['sent', 'sent', 'sent', 'sent']);
    for (const s of [parent, child, ...rest]) expect(await power.waitSettled(s.id)).toBe('reached');
    expect(hosts.every((h) => h.power() === 'on')).toBe(true);
  });
});
