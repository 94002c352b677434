import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../src/lab/lab';
import type { SimHost } from '../../src/lab/hosts/host';
import { systemClock } from '../../src/main/base/clock';
import type { Engine } from '../../src/main/inventory/engine';
import type { PowerController } from '../../src/main/power/controller';
import { composeCore } from '../../src/main/root/core';
import { silentLogger } from '../../src/main/base/logger';
import { probeHost } from '../../src/main/drivers/probe';
import { openConfigStore } from '../../src/main/store/config-store';
import type { Notice } from '../../src/shared/events';
import { serverInputSchema, type ServerInput, type ServerView } from '../../src/shared/server';

/**
 * The power controller with its real drivers (UDP WoL, SshPool) against the simulated homelab:
 * magic packets go to the lab's 127.0.0.1 listener, SSH to the lab hosts' real SSH servers.
 * 127.0.84.x belongs to this file.
 */
const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-power-lab-'));
const home = path.join(stateDir, 'home');
let lab: Lab;
let engine: Engine;
let power: PowerController;
const notices: Notice[] = [];

beforeAll(async () => {
  lab = await startLab({ proxmox: false, hosts: 6, seed: 84, firstAddress: '127.0.84.1', wolPort: 0, stateDir, bootDelayMs: 300, suspendDelayMs: 100, initialPower: 'on' });
  ({ engine, power } = composeCore({ store: openConfigStore(home), clock: systemClock, probe: probeHost, log: silentLogger, power: { fastPollMs: 100 } }));
  engine.events.on('notice', (n) => void notices.push(n));
});

afterAll(async () => {
  engine?.stop();
  await lab?.stop();
  fs.rmSync(stateDir, { recursive: true, force: true });
});

const linuxHosts = () => lab.hosts.filter((h) => h.spec.os !== 'windows');

/** Configures a lab host in Rackdeck the way an admin would after reading `rackdeck lab describe`. */
function addLabHost(host: SimHost, extra: Partial<ServerInput> = {}): ServerView {
  const nic = host.spec.nics[0];
  if (nic) host.machine.setWakeOn(nic.name, 'g');
  return engine.addServer(
    serverInputSchema.parse({
      name: host.hostname,
      address: host.address,
      mac: host.mac,
      ports: [host.spec.ports.ssh],
      ssh: { user: host.spec.user, port: host.spec.ports.ssh, keyPath: lab.clientKey.privateKeyPath },
      // Never a real broadcast: only the lab's listener on loopback.
      wol: { directedBroadcast: false, limitedBroadcast: false, extraTargets: ['127.0.0.1'], ports: [lab.wol.port] },
      powerControl: { timeouts: { wakeMs: 20_000, suspendMs: 20_000 } },
      ...extra,
    }),
  );
}

describe('power control against the lab', () => {
  it('wakes a suspended lab host with a magic packet to the lab listener: waking → on', async () => {
    const host = linuxHosts()[0] as SimHost;
    const server = addLabHost(host);
    await host.suspend();
    expect(host.power()).toBe('suspended');
    expect((await engine.refresh(server.id)).power).toBe('off');

    const woke = lab.wol.counters.woke;
    power.run(server.id, 'wake');
    expect(engine.view(server.id)?.power).toBe('waking');
    expect(await power.waitSettled(server.id)).toBe('reached');
    expect(engine.view(server.id)?.power).toBe('on');
    expect(host.power()).toBe('on');
    expect(lab.wol.counters.woke).toBe(woke + 1);
  });

  it('suspends it over SSH: suspending → suspended, and a later probe keeps it suspended', async () => {
    const host = linuxHosts()[0] as SimHost;
    const id = engine.find(host.hostname)!.id;
    power.run(id, 'suspend');
    expect(engine.view(id)?.power).toBe('suspending');
    expect(await power.waitSettled(id)).toBe('reached');
    expect(engine.view(id)?.power).toBe('suspended');
    expect(host.power()).toBe('suspended');
    await engine.refresh(id);
    expect(engine.view(id)?.power).toBe('suspended');
    expect(notices.some((n) => n.title === `${host.hostname} is asleep`)).toBe(true);
  });

  it('init reads the lab host: OS, NICs with their Wake-on mode', async () => {
    const host = linuxHosts()[1] as SimHost;
    const server = addLabHost(host);
    await engine.refresh(server.id);
    const view = await power.initNow(server.id).then(() => engine.view(server.id)!);
    expect(view.lastError).toBeUndefined();
    expect(view.system?.os).toMatch(/Debian|Ubuntu|Proxmox/);
    const nic = view.system?.interfaces.find((i) => i.mac === host.mac);
    expect(nic).toMatchObject({ wolSupported: true, wolEnabled: true });
  });

  it('when power commands need root: refused with a sudo hint, then works with useSudo', async () => {
    const host = linuxHosts().find((h) => h.spec.user !== 'root' && !engine.find(h.hostname)) as SimHost;
    const id = addLabHost(host).id;
    await engine.refresh(id);
    host.setFault({ requireSudo: true });
    try {
      power.run(id, 'suspend');
      expect(await power.waitSettled(id)).toBe('failed');
      const failed = engine.view(id)!;
      expect(failed.power).toBe('on');
      expect(failed.lastError?.message).toMatch(/suspend was refused/);
      expect(failed.lastError?.hint).toMatch(/sudo/);

      engine.editServer(id, { powerControl: { useSudo: true, customCommands: {}, timeouts: { suspendMs: 20_000 } } });
      power.run(id, 'suspend');
      expect(await power.waitSettled(id)).toBe('reached');
      expect(host.power()).toBe('suspended');
    } finally {
      host.clearFaults();
    }
  });

  it('wakes a child whose parent is asleep: the parent first', async () => {
    const [parentHost, childHost] = [linuxHosts().find((h) => !engine.find(h.hostname)) as SimHost, lab.hosts.find((h) => h.spec.os === 'windows') as SimHost];
    const parent = addLabHost(parentHost);
    const child = addLabHost(childHost, { parentId: parent.id, ...(childHost.spec.os === 'windows' ? { ssh: undefined } : {}) });
    if (childHost.spec.secureOn) {
      engine.editServer(child.id, { wol: { directedBroadcast: false, limitedBroadcast: false, unicast: false, extraTargets: ['127.0.0.1'], ports: [lab.wol.port], netmask: '24', secureOn: true } });
      const bytes = [...childHost.spec.secureOn].map((b) => b.toString(16).padStart(2, '0')).join(':');
      power.setSecret(child.id, 'wol.password', bytes);
    }
    await Promise.all([parentHost.suspend(), childHost.suspend()]);
    await Promise.all([engine.refresh(parent.id), engine.refresh(child.id)]);

    const order: string[] = [];
    const offs = [parentHost, childHost].map((h) => h.onPowerChange((p) => p === 'on' && order.push(h.hostname)));
    power.run(child.id, 'wake');
    expect(await power.waitSettled(child.id)).toBe('reached');
    offs.forEach((off) => off());
    expect(order).toEqual([parentHost.hostname, childHost.hostname]);
    expect(engine.view(parent.id)?.power).toBe('on');
    expect(engine.view(child.id)?.power).toBe('on');
  });

  it('a changed lab host key is refused with both fingerprints and accepted explicitly', async () => {
    const host = linuxHosts()[1] as SimHost;
    const id = engine.find(host.hostname)!.id;
    await power.initNow(id);
    const pinned = engine.view(id)?.hostKey;
    expect(pinned).toBeUndefined();
    const before = host.hostKey().fingerprint;
    const after = host.rotateHostKey();
    power.stop(); // drop pooled connections, as a reinstall would
    await power.initNow(id);
    const view = engine.view(id)!;
    expect(view.hostKey).toMatchObject({ expected: before, presented: after });
    power.acceptHostKey(id);
    await power.initNow(id);
    expect(engine.view(id)?.hostKey).toBeUndefined();
    expect(engine.view(id)?.lastError).toBeUndefined();
  });
});
