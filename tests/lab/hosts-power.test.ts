import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canBindAddress } from '../../src/lab/addressing';
import { startLab, type Lab } from '../../src/lab/lab';
import { tcpHeldOpen, tcpProbe } from '../../src/lab/testing/tcp';
import type { LabNodeHost, LabPower } from '../../src/lab/types';

// Power states as a port probe sees them, on real loopback sockets. Addresses 127.0.70.x are
// this file's own so it can run next to other lab tests.
const stateDir = mkdtempSync(join(tmpdir(), 'rackdeck-lab-power-'));
let lab: Lab;

beforeAll(async () => {
  lab = await startLab({ proxmox: false,
    hosts: 6, seed: 11, firstAddress: '127.0.70.1', wolPort: 0, stateDir, bootDelayMs: 150, suspendDelayMs: 60, initialPower: 'on',
  });
});

afterAll(async () => {
  await lab?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

function host(role: string): NonNullable<ReturnType<Lab['host']>> {
  const found = lab.hosts.find((h) => h.spec.role === role);
  if (!found) throw new Error(`no ${role} host`);
  return found;
}

function record(node: LabNodeHost): { states: LabPower[]; stop: () => void } {
  const states: LabPower[] = [];
  const stop = node.onPowerChange((p) => states.push(p));
  return { states, stop };
}

describe('listeners follow power', () => {
  it('answers on every service port while on', async () => {
    for (const h of lab.hosts) {
      for (const [name, port] of Object.entries(h.info.ports)) {
        if (name === 'proxmox') continue;
        expect(await tcpProbe(h.address, port), `${h.id} ${name}`).toBe('open');
      }
    }
  });

  it('serves a page on http and the RFB banner on vnc', async () => {
    const web = host('web');
    const response = await fetch(`http://${web.address}:${web.info.ports.http}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(`<h1>${web.hostname}</h1>`);
    const six = await startLab({ proxmox: false, hosts: 8, seed: 11, firstAddress: '127.0.70.101', wolPort: 0, stateDir, initialPower: 'on' });
    try {
      const ws = six.hosts.find((h) => h.info.ports.vnc !== undefined);
      if (!ws) throw new Error('no vnc host');
      const banner = await new Promise<string>((resolve, reject) => {
        const socket = connect({ host: ws.address, port: ws.info.ports.vnc ?? 0 });
        socket.once('data', (d) => {
          socket.destroy();
          resolve(d.toString());
        });
        socket.once('error', reject);
      });
      expect(banner).toBe('RFB 003.008\n');
    } finally {
      await six.stop();
    }
  });

  it('suspend closes every port and cuts open connections; wake reopens them after the boot delay', async () => {
    const nas = host('nas');
    const { states, stop } = record(nas);
    const open = connect({ host: nas.address, port: nas.info.ports.http ?? 0 });
    await new Promise((resolve) => open.once('connect', resolve));
    const cut = new Promise<void>((resolve) => open.once('close', () => resolve()));
    await nas.suspend();
    await cut;
    expect(nas.power()).toBe('suspended');
    expect(await tcpProbe(nas.address, nas.info.ports.ssh ?? 0)).toBe('refused');
    expect(await tcpProbe(nas.address, nas.info.ports.https ?? 0)).toBe('refused');
    const started = Date.now();
    await nas.wake();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(await tcpProbe(nas.address, nas.info.ports.ssh ?? 0)).toBe('open');
    expect(states).toEqual(['suspending', 'suspended', 'booting', 'on']);
    stop();
  });

  it('powerOff is immediate, powerOn skips the boot delay, reboot goes down then up', async () => {
    const srv = host('server');
    await srv.powerOff();
    expect(srv.power()).toBe('off');
    expect(await tcpProbe(srv.address, srv.info.ports.ssh ?? 0)).toBe('refused');
    const started = Date.now();
    await srv.powerOn();
    expect(Date.now() - started).toBeLessThan(140);
    expect(await tcpProbe(srv.address, srv.info.ports.ssh ?? 0)).toBe('open');
    const { states, stop } = record(srv);
    await srv.reboot();
    expect(states).toEqual(['shutting_down', 'off', 'booting', 'on']);
    stop();
    expect(states).toHaveLength(4);
  });

  it('lets the Proxmox simulator attach its API to the node port, opened and closed with power', async () => {
    const pve = host('proxmox');
    const port = pve.info.ports.proxmox ?? 0;
    expect(await tcpProbe(pve.address, port)).toBe('refused');
    await pve.attachService('proxmox', (socket) => socket.end('HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n'));
    expect(await tcpProbe(pve.address, port)).toBe('open');
    await pve.powerOff();
    expect(await tcpProbe(pve.address, port)).toBe('refused');
    await pve.powerOn();
    expect(await tcpProbe(pve.address, port)).toBe('open');
  });
});

describe('faults', () => {
  it('drop: accepts then closes at once', async () => {
    const web = host('web');
    expect(await tcpHeldOpen(web.address, web.info.ports.http ?? 0)).toBe(true);
    web.setFault({ dropConnections: true });
    expect(await tcpProbe(web.address, web.info.ports.http ?? 0)).toBe('open');
    expect(await tcpHeldOpen(web.address, web.info.ports.ssh ?? 0)).toBe(false);
    web.clearFaults();
    expect(await tcpHeldOpen(web.address, web.info.ports.ssh ?? 0)).toBe(true);
  });

  it('flap: toggles between on and suspended until cleared', async () => {
    const desk = host('desktop');
    const { states, stop } = record(desk);
    // Flapping, it goes down and comes back again and again: wait until it did so twice, however
    // late a busy machine runs the flap timer.
    const twice = () => states.filter((s) => s === 'suspended').length >= 2 && states.filter((s) => s === 'on').length >= 2;
    const flapped = new Promise<void>((resolve) => {
      const off = desk.onPowerChange(() => {
        if (!twice()) return;
        off();
        resolve();
      });
    });
    desk.setFault({ flapIntervalMs: 40 });
    await flapped;
    desk.setFault({ flapIntervalMs: 0 });
    await desk.waitForPower('on');
    stop();
    expect(states.filter((s) => s === 'suspended').length).toBeGreaterThanOrEqual(2);
    expect(states.filter((s) => s === 'on').length).toBeGreaterThanOrEqual(2);
    expect(await tcpProbe(desk.address, desk.info.ports.rdp ?? 0)).toBe('open');
  });
});

describe('addressing', () => {
  it('runs in single-address mode with a block of ports per host', async () => {
    const single = await startLab({ proxmox: false, hosts: 3, seed: 2, singleAddress: true, basePort: 23000, wolPort: 0, stateDir, initialPower: 'on' });
    try {
      expect(single.singleAddress).toBe(true);
      const ports = single.hosts.map((h) => h.info.ports.ssh);
      expect(ports).toEqual([23000, 23008, 23016]);
      for (const h of single.hosts) expect(await tcpProbe('127.0.0.1', h.info.ports.ssh ?? 0)).toBe('open');
    } finally {
      await single.stop();
    }
    expect(await tcpProbe('127.0.0.1', 23000)).toBe('refused');
  });

  it('detects an address it cannot bind (the macOS case that selects single-address mode)', async () => {
    expect(await canBindAddress('127.0.70.250')).toBe(true);
    // A documentation address is configured on no interface: bind fails locally, nothing is sent.
    expect(await canBindAddress('192.0.2.77')).toBe(false);
  });

  it('fails clearly when a host address is already taken, leaving nothing behind', async () => {
    const first = await startLab({ proxmox: false, hosts: 1, seed: 4, firstAddress: '127.0.70.201', wolPort: 0, stateDir, initialPower: 'on' });
    try {
      await expect(startLab({ proxmox: false, hosts: 2, seed: 4, firstAddress: '127.0.70.201', wolPort: 0, stateDir, initialPower: 'on' }))
        .rejects.toThrow(/cannot listen on 127\.0\.70\.201:2222 \(ssh\): EADDRINUSE/);
      expect(await tcpProbe('127.0.70.202', 2222)).toBe('refused');
    } finally {
      await first.stop();
    }
  });

  it('starts 200 hosts that all answer a TCP connect, and stops them all', async () => {
    const started = performance.now();
    const big = await startLab({ proxmox: false, hosts: 200, seed: 200, firstAddress: '127.0.80.1', wolPort: 0, stateDir, initialPower: 'on' });
    const startMs = performance.now() - started;
    try {
      const outcomes = await Promise.all(big.hosts.map((h) => tcpProbe(h.address, h.info.ports.ssh ?? 0, 3000)));
      expect(outcomes.filter((o) => o === 'open')).toHaveLength(200);
      expect(new Set(big.hosts.map((h) => h.address)).size).toBe(200);
      console.info(`lab: 200 hosts started in ${startMs.toFixed(0)} ms`);
      expect(startMs).toBeLessThan(5000);
    } finally {
      await big.stop();
    }
    expect(await tcpProbe(big.hosts[199]?.address ?? '', 2222)).toBe('refused');
  });
});
