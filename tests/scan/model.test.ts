import { describe, expect, it } from 'vitest';
import { addressesOf, macFromIpLink, nameFor, normalizeMac, parseProcArp, parseSubnet } from '../../src/main/scan/model';
import { ouiVendor } from '../../src/main/scan/io/oui';

describe('scan model', () => {
  it('parses subnets, leaving out the network and broadcast addresses below a /31', () => {
    expect(parseSubnet('127.0.1.77/24')).toEqual({ cidr: '127.0.1.0/24', prefix: 24, first: parseSubnet('127.0.1.1').first, count: 254 });
    expect(addressesOf(parseSubnet('10.0.0.0/30'))).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(addressesOf(parseSubnet('10.0.0.4/31'))).toEqual(['10.0.0.4', '10.0.0.5']);
    expect(addressesOf(parseSubnet('10.0.0.9'))).toEqual(['10.0.0.9']);
    expect(parseSubnet('172.16.0.0/16').count).toBe(65_534);
  });

  it('refuses more than a /16, saying why, and what is not a subnet', () => {
    expect(() => parseSubnet('10.0.0.0/15')).toThrow(/a \/15 holds 131,072 addresses; Rackdeck scans at most a \/16/);
    expect(() => parseSubnet('0.0.0.0/0')).toThrow(/4,294,967,296/);
    for (const bad of ['10.0.0.0/33', '10.0.0/24', '10.0.0.256/24', 'host/24', '10.0.0.0/24/1', '10.0.0.0/x', '']) expect(() => parseSubnet(bad), bad).toThrow();
  });

  it('reads the neighbour table: completed entries only', () => {
    const text = [
      'IP address       HW type     Flags       HW address            Mask     Device',
      '192.168.1.1      0x1         0x2         B8:27:EB:01:02:03     *        eth0',
      '192.168.1.9      0x1         0x0         00:00:00:00:00:00     *        eth0',
      'garbage',
    ].join('\n');
    expect([...parseProcArp(text)]).toEqual([['192.168.1.1', 'b8:27:eb:01:02:03']]);
  });

  it('MACs, ip -j link and names', () => {
    expect(normalizeMac('B8-27-EB-01-02-03')).toBe('b8:27:eb:01:02:03');
    expect(normalizeMac('00:00:00:00:00:00')).toBeUndefined();
    expect(normalizeMac('zz')).toBeUndefined();
    expect(macFromIpLink(JSON.stringify([{ link_type: 'loopback', address: '00:00:00:00:00:00' }, { link_type: 'ether', address: '52:54:00:aa:bb:cc' }]))).toBe('52:54:00:aa:bb:cc');
    expect(macFromIpLink('not json')).toBeUndefined();
    expect(nameFor('10.0.0.5', 'nas.home.arpa.')).toBe('nas');
    expect(nameFor('10.0.0.5', undefined)).toBe('10.0.0.5');
  });

  it('finds the vendor in the IEEE OUI list the oui-data package ships', async () => {
    expect(await ouiVendor('b8:27:eb:01:02:03')).toBe('Raspberry Pi Foundation');
    expect(await ouiVendor('00:1B:21:00:00:01')).toBe('Intel Corporate');
    expect(await ouiVendor('nonsense')).toBeUndefined();
  });
});
