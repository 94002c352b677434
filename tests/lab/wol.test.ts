import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../src/lab/lab';
import { tcpProbe } from '../../src/lab/testing/tcp';
import { buildMagicPacket, parseMagicPacket } from '../../src/lab/wol/magic-packet';
import type { WolEvent } from '../../src/lab/wol/listener';

// Magic packets over real UDP on loopback to the lab's listener. 127.0.72.x belongs to this file.
const stateDir = mkdtempSync(join(tmpdir(), 'rackdeck-lab-wol-'));
let lab: Lab;

beforeAll(async () => {
  lab = await startLab({ proxmox: false, hosts: 6, seed: 31, firstAddress: '127.0.72.1', wolPort: 0, stateDir, bootDelayMs: 120, suspendDelayMs: 20, initialPower: 'on' });
});

afterAll(async () => {
  await lab?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

function send(payload: Buffer, address = '127.0.0.1', port = lab.wol.port): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.send(payload, port, address, (error) => {
      socket.close();
      if (error) reject(error);
      else resolve();
    });
  });
}

async function sendAndSee(payload: Buffer, address?: string, port?: number): Promise<WolEvent> {
  const before = lab.wol.counters.received;
  const next = lab.wol.waitFor((_e) => lab.wol.counters.received > before, 2000);
  await send(payload, address, port);
  return next;
}

function byRole(role: string): NonNullable<ReturnType<Lab['host']>> {
  const found = lab.hosts.find((h) => h.spec.role === role);
  if (!found) throw new Error(`no ${role}`);
  return found;
}

describe('parseMagicPacket', () => {
  const mac = '02:ab:cd:ef:01:23';

  it('accepts 6×FF + 16×MAC with no, a 4-byte or a 6-byte SecureOn password', () => {
    expect(parseMagicPacket(buildMagicPacket(mac))).toEqual({ ok: true, mac });
    const four = parseMagicPacket(buildMagicPacket(mac, Buffer.from([192, 168, 1, 1])));
    expect(four.ok && four.password?.toString('hex')).toBe('c0a80101');
    const six = parseMagicPacket(buildMagicPacket('02-AB-CD-EF-01-23', Buffer.from('a1b2c3d4e5f6', 'hex')));
    expect(six.ok && [six.mac, six.password?.toString('hex')]).toEqual([mac, 'a1b2c3d4e5f6']);
  });

  it('rejects wrong lengths, a broken sync stream and a MAC that is not repeated exactly', () => {
    const good = buildMagicPacket(mac);
    expect(parseMagicPacket(good.subarray(0, 101))).toEqual({ ok: false, reason: 'length' });
    expect(parseMagicPacket(Buffer.concat([good, Buffer.alloc(2)]))).toEqual({ ok: false, reason: 'length' });
    const sync = Buffer.from(good);
    sync[3] = 0xfe;
    expect(parseMagicPacket(sync)).toEqual({ ok: false, reason: 'sync' });
    const repetition = Buffer.from(good);
    repetition[6 + 6 * 15 + 2] = 0x00;
    expect(parseMagicPacket(repetition)).toEqual({ ok: false, reason: 'repetition' });
    expect(() => buildMagicPacket(mac, Buffer.alloc(5))).toThrow();
  });
});

describe('Wake-on-LAN listener', () => {
  it('wakes a suspended host: its SSH port answers after the boot delay', async () => {
    const srv = byRole('server');
    await srv.suspend();
    expect(await tcpProbe(srv.address, srv.info.ports.ssh ?? 0)).toBe('refused');
    const event = await sendAndSee(buildMagicPacket(srv.mac));
    expect(event).toMatchObject({ kind: 'woke', mac: srv.mac, hostId: srv.id, bytes: 102 });
    expect(srv.power()).toBe('booting');
    expect(await tcpProbe(srv.address, srv.info.ports.ssh ?? 0)).toBe('refused');
    await srv.waitForPower('on', 2000);
    expect(await tcpProbe(srv.address, srv.info.ports.ssh ?? 0)).toBe('open');
    expect((await sendAndSee(buildMagicPacket(srv.mac))).kind).toBe('already_on');
  });

  it('wakes a host that was switched off', async () => {
    const nas = byRole('nas');
    await nas.powerOff();
    expect((await sendAndSee(buildMagicPacket(nas.mac.toUpperCase()))).kind).toBe('woke');
    await nas.waitForPower('on', 2000);
  });

  it('demands the right SecureOn password where the NIC has one', async () => {
    const desk = lab.hosts.find((h) => h.spec.secureOn !== undefined);
    if (!desk?.spec.secureOn) throw new Error('no SecureOn host');
    await desk.suspend();
    expect((await sendAndSee(buildMagicPacket(desk.mac))).kind).toBe('bad_password');
    const wrong = Buffer.from(desk.spec.secureOn);
    wrong[0] = (wrong[0] ?? 0) ^ 0xff;
    expect((await sendAndSee(buildMagicPacket(desk.mac, wrong))).kind).toBe('bad_password');
    // The host decides as the packet arrives (a wake starts there and then): nothing is pending.
    expect(desk.power()).toBe('suspended');
    expect((await sendAndSee(buildMagicPacket(desk.mac, desk.spec.secureOn))).kind).toBe('woke');
    await desk.waitForPower('on', 2000);
    expect(lab.describe().hosts.find((h) => h.id === desk.id)?.secureOn).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
  });

  it('ignores a host whose NIC has Wake-on disabled', async () => {
    const web = byRole('web');
    const nic = web.spec.nics[0]?.name ?? '';
    web.machine.setWakeOn(nic, 'd');
    await web.suspend();
    expect((await sendAndSee(buildMagicPacket(web.mac))).kind).toBe('wol_disabled');
    expect(web.power()).toBe('suspended');
    web.machine.setWakeOn(nic, 'g');
    expect((await sendAndSee(buildMagicPacket(web.mac))).kind).toBe('woke');
    await web.waitForPower('on', 2000);
  });

  it('counts and logs malformed packets and unknown MACs without waking anything', async () => {
    const before = { ...lab.wol.counters };
    const junk = await sendAndSee(Buffer.from('not a magic packet at all'));
    expect(junk).toMatchObject({ kind: 'malformed', reason: 'length' });
    const almost = buildMagicPacket(lab.hosts[0]?.mac ?? '');
    almost[50] = (almost[50] ?? 0) ^ 1;
    expect((await sendAndSee(almost)).reason).toBe('repetition');
    expect((await sendAndSee(buildMagicPacket('02:00:00:00:00:01'))).kind).toBe('unknown_mac');
    expect(lab.wol.counters.malformed - before.malformed).toBe(2);
    expect(lab.wol.counters.unknown_mac - before.unknown_mac).toBe(1);
    expect(lab.wol.counters.woke).toBe(before.woke);
    expect(lab.wol.events().at(-1)?.from).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  it('can also receive on every host address (unicast WoL to the host itself)', async () => {
    const perHost = await startLab({ proxmox: false, hosts: 2, seed: 31, firstAddress: '127.0.72.101', wolPort: 0, wolPerHost: true, stateDir, bootDelayMs: 50, initialPower: 'suspended' });
    try {
      const target = perHost.hosts[1];
      if (!target) throw new Error('missing host');
      expect(perHost.describe().wol.perHostAddresses).toBe(true);
      const seen = perHost.wol.waitFor((e) => e.kind === 'woke');
      await send(buildMagicPacket(target.mac), target.address, perHost.wol.port);
      expect((await seen).to).toBe(`${target.address}:${perHost.wol.port}`);
      await target.waitForPower('on', 2000);
      expect(perHost.hosts[0]?.power()).toBe('suspended');
    } finally {
      await perHost.stop();
    }
  });
});
