/**
 * Issue 13: when init found Wake-on-LAN off on the interface whose MAC is used, powering the
 * server down is asked about first (and the fix offered), and a reconcile to "on" stops trying
 * to wake it and says why. The CLI part runs against a lab host (real SSH on loopback), each
 * command with its own engine, so what init found must outlive the process that found it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../src/lab/lab';
import type { SimHost } from '../../src/lab/hosts/host';
import { planReconcile, type ReconcileServer } from '../../src/main/power/reconcile';
import { systemClock } from '../../src/main/base/clock';
import { silentLogger } from '../../src/main/base/logger';
import { probeHost } from '../../src/main/drivers/probe';
import { composeCore } from '../../src/main/root/core';
import { openConfigStore } from '../../src/main/store/config-store';
import type { WolSender } from '../../src/main/drivers/wol/model';
import { wolOffInterface, wolOffWarning } from '../../src/shared/wol-readiness';
import { useCliHome } from '../cli/cli-home';

const nic = (name: string, mac: string, wolEnabled?: boolean) => ({ name, mac, up: true, wolSupported: true, ...(wolEnabled !== undefined ? { wolEnabled } : {}) });

describe('whether Wake-on-LAN can bring a server back', () => {
  const system = { interfaces: [nic('eno1', 'AA:BB:CC:DD:EE:01', false), nic('eno2', 'aa:bb:cc:dd:ee:02', true)] };
  it('is known to fail when WoL is off on the interface whose MAC is used', () => {
    expect(wolOffInterface({ mac: 'aa-bb-cc-dd-ee-01', system })?.name).toBe('eno1');
    expect(wolOffInterface({ mac: 'aa:bb:cc:dd:ee:02', system })).toBeUndefined();
    // Unknown (init never ran, or ethtool could not say), or a custom wake command: nothing is claimed.
    expect(wolOffInterface({ mac: 'aa:bb:cc:dd:ee:01' })).toBeUndefined();
    expect(wolOffInterface({ mac: 'aa:bb:cc:dd:ee:01', system: { interfaces: [nic('eno1', 'aa:bb:cc:dd:ee:01')] } })).toBeUndefined();
    expect(wolOffInterface({ mac: 'aa:bb:cc:dd:ee:01', system, powerControl: { customCommands: { wake: { command: 'x' } } } })).toBeUndefined();
    expect(wolOffWarning('enp4s0')).toBe('it will not come back by Wake-on-LAN: WoL is off on enp4s0 — enable it first?');
  });

  it('a reconcile to "on" that cannot wake stops and says why, for the server and for its children', () => {
    const caps = { wake: true, suspend: true, hibernate: true, shutdown: true, reboot: true };
    const servers: ReconcileServer[] = [
      { id: 'nas', name: 'nas', power: 'off', transitioning: false, capabilities: caps, desired: 'on', wakeBlocked: 'Wake-on-LAN is off on eno1' },
      { id: 'vm', name: 'vm', parentId: 'nas', power: 'off', transitioning: false, capabilities: caps, desired: 'on' },
    ];
    const steps = planReconcile(servers, new Map(), 0);
    expect(steps).toEqual([
      { kind: 'blocked', id: 'nas', reason: 'it cannot be woken: Wake-on-LAN is off on eno1' },
      { kind: 'blocked', id: 'vm', reason: 'its parent nas is down and cannot be woken: Wake-on-LAN is off on eno1' },
    ]);
  });
});

let lab: Lab;
const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-wol-off-lab-'));
beforeAll(async () => {
  lab = await startLab({ proxmox: false, hosts: 3, seed: 213, firstAddress: '127.0.214.1', wolPort: 0, stateDir, bootDelayMs: 200, suspendDelayMs: 50, initialPower: 'on' });
});
afterAll(async () => {
  await lab?.stop();
  fs.rmSync(stateDir, { recursive: true, force: true });
});

const { cli, home } = useCliHome('rackdeck-wol-off-');

describe('the CLI before powering down a server whose Wake-on-LAN is off', () => {
  it('init says so; suspend in a script is refused, with the fix; --enable-wol enables it first', async () => {
    const host = lab.hosts.find((h) => h.spec.os !== 'windows') as SimHost;
    const iface = host.spec.nics[0]?.name as string;
    host.machine.setWakeOn(iface, 'd');
    const add = await cli('add', 'box', '--address', host.address, '--mac', host.mac, '--ssh-user', host.spec.user, '--ssh-port', String(host.spec.ports.ssh), '--ssh-key', lab.clientKey.privateKeyPath);
    expect(add.code, add.err).toBe(0);
    const init = await cli('init', 'box');
    expect(init.code, init.err).toBe(0);
    expect(init.out).toMatch(new RegExp(`${iface} .*WoL off`));
    expect(init.err).toContain(`Wake-on-LAN is off on ${iface}`);
    // What init found outlives its process: init-facts.json in the home.
    expect(fs.existsSync(path.join(home(), 'init-facts.json'))).toBe(true);

    const refused = await cli('suspend', 'box');
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`box: it will not come back by Wake-on-LAN: WoL is off on ${iface} — enable it first?`);
    expect(refused.err).toContain('--enable-wol');
    expect(host.power()).toBe('on');

    const fixed = await cli('suspend', 'box', '--enable-wol', '--wait');
    expect(fixed.code, fixed.err).toBe(0);
    expect(fixed.err).toContain(`Enabled Wake-on-LAN on ${iface} of box.`);
    expect(host.machine.wakeOn(iface)).toBe('g');
    expect(host.power()).toBe('suspended');
  });

  it('a reconcile to "on" of a server init found with WoL off does not send packets; it stops and says why', async () => {
    const host = lab.hosts.filter((h) => h.spec.os !== 'windows')[1] as SimHost;
    const iface = host.spec.nics[0]?.name as string;
    host.machine.setWakeOn(iface, 'd');
    expect((await cli('add', 'nas', '--address', host.address, '--mac', host.mac, '--ssh-user', host.spec.user, '--ssh-port', String(host.spec.ports.ssh), '--ssh-key', lab.clientKey.privateKeyPath)).code).toBe(0);
    expect((await cli('init', 'nas')).code).toBe(0);
    const down = await cli('suspend', 'nas', '--yes', '--wait');
    expect(down.code, down.err).toBe(0);
    expect(down.err).toContain(`Warning: nas will not come back by Wake-on-LAN: WoL is off on ${iface}.`);

    // An engine of its own on the home: what init found is read back from init-facts.json.
    let sent = 0;
    const wol: WolSender = async () => {
      sent += 1;
      return [];
    };
    const { engine, power } = composeCore({ store: openConfigStore(home()), clock: systemClock, probe: probeHost, log: silentLogger, power: { wol } });
    try {
      const id = engine.get('nas').id;
      expect((await engine.refresh(id)).power).toBe('off');
      power.setDesired(id, 'on');
      await power.reconcile();
      await power.reconcile();
      expect(sent).toBe(0);
      expect(engine.view(id)?.lastError?.message).toContain(`cannot be woken: Wake-on-LAN is off on ${iface}`);
      expect(host.power()).toBe('suspended');
    } finally {
      engine.stop();
    }
  });

  it('a power action that pins a host key on first contact says so, as ssh does', async () => {
    const host = lab.hosts.filter((h) => h.spec.os !== 'windows')[2] as SimHost;
    host.machine.setWakeOn(host.spec.nics[0]?.name as string, 'g');
    expect((await cli('add', 'web', '--address', host.address, '--mac', host.mac, '--ssh-user', host.spec.user, '--ssh-port', String(host.spec.ports.ssh), '--ssh-key', lab.clientKey.privateKeyPath)).code).toBe(0);
    const down = await cli('suspend', 'web', '--wait');
    expect(down.code, down.err).toBe(0);
    expect(down.err).toContain(`Warning: Permanently added '[${host.address}]:${host.spec.ports.ssh}' (ED25519) to the list of known hosts: ${host.hostKey().fingerprint}.`);
  });
});
