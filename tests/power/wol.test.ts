import dgram from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { wolSettingsSchema } from '../../src/shared/server';
import {
  directedBroadcast,
  magicPacket,
  MAC_FORMS,
  parseMac,
  parseNetmask,
  parseSecureOn,
  planWolTargets,
  sendWol,
  wakeServer,
} from '../../src/main/drivers/wol';

const MAC_BYTES = Buffer.from([0xaa, 0xbb, 0xcc, 0x0d, 0xee, 0xff]);

describe('MAC parsing', () => {
  it.each([
    ['aa:bb:cc:0d:ee:ff'],
    ['AA:BB:CC:0D:EE:FF'],
    ['aa-bb-cc-0d-ee-ff'],
    ['aabb.cc0d.eeff'],
    ['AABBCC0DEEFF'],
    ['  aa:bb:cc:0d:ee:ff  '],
  ])('accepts %s', (input) => {
    const mac = parseMac(input);
    expect(mac.bytes.equals(MAC_BYTES)).toBe(true);
    expect(mac.text).toBe('aa:bb:cc:0d:ee:ff');
  });

  it.each([['aa:bb:cc:dd:ee'], ['aa:bb:cc:dd:ee:ff:00'], ['aa:bb-cc:dd:ee:ff'], ['gg:bb:cc:dd:ee:ff'], ['aabb.ccdd.ee'], ['aa bb cc dd ee ff'], [''], ['aa:bb:cc:dd:ee:ff; rm -rf /']])(
    'refuses %j with the accepted forms in the message',
    (input) => {
      expect(() => parseMac(input)).toThrow(/accepted forms/);
      try {
        parseMac(input);
      } catch (error) {
        for (const form of MAC_FORMS) expect((error as Error).message).toContain(form);
      }
    },
  );
});

describe('magic packet', () => {
  const expectBody = (packet: Buffer) => {
    expect(packet.subarray(0, 6).equals(Buffer.alloc(6, 0xff))).toBe(true);
    for (let i = 0; i < 16; i++) expect(packet.subarray(6 + i * 6, 12 + i * 6).equals(MAC_BYTES)).toBe(true);
  };

  it.each(['aa:bb:cc:0d:ee:ff', 'aa-bb-cc-0d-ee-ff', 'aabb.cc0d.eeff', 'aabbcc0deeff'])('is 6×FF + 16×MAC for %s (102 bytes)', (form) => {
    const packet = magicPacket(form);
    expect(packet.length).toBe(102);
    expectBody(packet);
  });

  it('appends a 4-byte SecureOn password (106 bytes)', () => {
    const packet = magicPacket('aabbcc0deeff', parseSecureOn('192.168.1.7'));
    expect(packet.length).toBe(106);
    expectBody(packet);
    expect([...packet.subarray(102)]).toEqual([192, 168, 1, 7]);
  });

  it('appends a 6-byte SecureOn password (108 bytes)', () => {
    const packet = magicPacket('aabbcc0deeff', parseSecureOn('01:02:03:04:05:06'));
    expect(packet.length).toBe(108);
    expectBody(packet);
    expect([...packet.subarray(102)]).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('takes SecureOn passwords as hex too, and refuses other lengths', () => {
    expect([...parseSecureOn('0a0b0c0d')]).toEqual([10, 11, 12, 13]);
    expect([...parseSecureOn('0a-0b-0c-0d-0e-0f')]).toEqual([10, 11, 12, 13, 14, 15]);
    expect(() => parseSecureOn('0a0b0c')).toThrow(/accepted forms/);
    expect(() => parseSecureOn('1.2.3.400')).toThrow(/accepted forms/);
    expect(() => magicPacket('aabbcc0deeff', Buffer.alloc(5))).toThrow(/4 or 6 bytes/);
  });
});

describe('subnet-directed broadcast', () => {
  it.each([
    ['192.168.1.20', '255.255.255.0', '192.168.1.255'],
    ['192.168.1.20', '24', '192.168.1.255'],
    ['10.1.2.3', '/8', '10.255.255.255'],
    ['172.16.5.4', '255.255.240.0', '172.16.15.255'],
    ['172.16.5.4', '20', '172.16.15.255'],
    ['192.168.1.130', '255.255.255.128', '192.168.1.255'],
    ['192.168.1.100', '255.255.255.192', '192.168.1.127'],
    ['192.168.1.5', '255.255.255.252', '192.168.1.7'],
    ['192.168.1.5', '32', '192.168.1.5'],
    ['192.168.1.5', '0', '255.255.255.255'],
  ])('%s / %s → %s', (address, mask, expected) => {
    expect(directedBroadcast(address, mask)).toBe(expected);
  });

  it('refuses non-contiguous masks and bad input', () => {
    expect(() => parseNetmask('255.0.255.0')).toThrow(/contiguous/);
    expect(() => parseNetmask('33')).toThrow(/over 32/);
    expect(() => directedBroadcast('nas.local', '24')).toThrow(/not an IPv4/);
    expect(() => directedBroadcast('300.1.1.1', '24')).toThrow(/not an IPv4/);
  });
});

describe('targets', () => {
  it('plans directed + limited broadcast on ports 9 and 7 by default', () => {
    const targets = planWolTargets(wolSettingsSchema.parse({}), '192.168.1.20');
    expect(targets).toEqual([
      { address: '192.168.1.255', port: 9 },
      { address: '192.168.1.255', port: 7 },
      { address: '255.255.255.255', port: 9 },
      { address: '255.255.255.255', port: 7 },
    ]);
  });

  it('adds unicast and extra targets, skips the directed broadcast for a hostname, and removes duplicates', () => {
    const settings = wolSettingsSchema.parse({ unicast: true, limitedBroadcast: false, extraTargets: ['10.0.0.1', '10.0.0.1'], ports: [9] });
    expect(planWolTargets(settings, 'nas.home.arpa')).toEqual([
      { address: 'nas.home.arpa', port: 9 },
      { address: '10.0.0.1', port: 9 },
    ]);
  });
});

/** A UDP listener on 127.0.0.1 that collects what it receives. */
async function listener(): Promise<{ port: number; received: Buffer[]; next(): Promise<Buffer>; close(): void }> {
  const socket = dgram.createSocket('udp4');
  const received: Buffer[] = [];
  const waiting: ((b: Buffer) => void)[] = [];
  socket.on('message', (msg) => {
    received.push(msg);
    waiting.shift()?.(msg);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    port: socket.address().port,
    received,
    next: () => new Promise((resolve) => (received.length > waiting.length ? resolve(received[waiting.length] as Buffer) : waiting.push(resolve))),
    close: () => socket.close(),
  };
}

describe('sender (loopback only)', () => {
  it('delivers the packet to every target, bound to the chosen local address', async () => {
    const a = await listener();
    const b = await listener();
    try {
      const packet = magicPacket('aa:bb:cc:0d:ee:ff', parseSecureOn('1.2.3.4'));
      const results = await sendWol({ packet, bindAddress: '127.0.0.1', targets: [{ address: '127.0.0.1', port: a.port }, { address: '127.0.0.1', port: b.port }] });
      expect(results.every((r) => r.ok)).toBe(true);
      expect((await a.next()).equals(packet)).toBe(true);
      expect((await b.next()).equals(packet)).toBe(true);
    } finally {
      a.close();
      b.close();
    }
  });

  it('reports a target it could not send to without stopping the others', async () => {
    const a = await listener();
    try {
      const results = await sendWol({ packet: magicPacket('aabbcc0deeff'), targets: [{ address: '127.0.0.1', port: 0 }, { address: '127.0.0.1', port: a.port }] });
      expect(results[0]?.ok).toBe(false);
      expect(results[1]?.ok).toBe(true);
      expect((await a.next()).length).toBe(102);
    } finally {
      a.close();
    }
  });

  it('wakes a configured server with its SecureOn secret, to its configured loopback targets only', async () => {
    const a = await listener();
    try {
      const wol = wolSettingsSchema.parse({ directedBroadcast: false, limitedBroadcast: false, extraTargets: ['127.0.0.1'], ports: [a.port], secureOn: true });
      await wakeServer({ id: 'nas', name: 'nas', address: '127.0.1.9', mac: 'aabb.cc0d.eeff', wol }, () => '01:02:03:04:05:06', sendWol);
      const got = await a.next();
      expect(got.length).toBe(108);
      expect([...got.subarray(102)]).toEqual([1, 2, 3, 4, 5, 6]);
      await expect(wakeServer({ id: 'nas', name: 'nas', address: '127.0.1.9', mac: 'aabb.cc0d.eeff', wol }, () => undefined, sendWol)).rejects.toThrow(/no password is stored/);
    } finally {
      a.close();
    }
  });
});
