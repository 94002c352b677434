import { describe, expect, it } from 'vitest';
import {
  afterInitFailure,
  afterInitSuccess,
  freshInit,
  initDue,
  isProxmox,
  parseEthtool,
  parseIpLink,
  parseOsRelease,
  systemInfoFromFacts,
} from '../../src/main/power/init';
import { capabilitiesOf } from '../../src/main/power/capabilities';
import { hibernateSupported } from '../../src/main/drivers/ssh/model/power-commands';

const OS_RELEASE = `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
ID=debian
HOME_URL="https://www.debian.org/"
`;

const IP_LINK = JSON.stringify([
  { ifindex: 1, ifname: 'lo', flags: ['LOOPBACK', 'UP', 'LOWER_UP'], operstate: 'UNKNOWN', link_type: 'loopback', address: '00:00:00:00:00:00' },
  { ifindex: 2, ifname: 'eno1', flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'], operstate: 'UP', link_type: 'ether', address: '3c:ec:ef:01:02:03', master: 'vmbr0' },
  { ifindex: 3, ifname: 'enp3s0', flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'], operstate: 'UP', link_type: 'ether', address: '3c:ec:ef:0a:0b:0c' },
  { ifindex: 4, ifname: 'wlp2s0', flags: ['BROADCAST', 'MULTICAST'], operstate: 'DOWN', link_type: 'ether', address: '8c:16:45:aa:bb:cc' },
  { ifindex: 5, ifname: 'vmbr0', flags: ['UP'], operstate: 'UP', link_type: 'ether', address: '3c:ec:ef:01:02:03' },
  { ifindex: 6, ifname: 'veth1234', flags: ['UP'], operstate: 'UP', link_type: 'ether', address: 'ee:ee:ee:ee:ee:01' },
  { ifindex: 7, ifname: 'eth0; reboot', address: 'aa:aa:aa:aa:aa:aa' },
  { ifindex: 8, ifname: 'eth1', address: 'not-a-mac' },
  'garbage',
]);

const ETHTOOL = (supports: string, on: string) => `Settings for enp3s0:
	Supported ports: [ TP ]
	Supports Wake-on: ${supports}
	Wake-on: ${on}
	Link detected: yes
`;

describe('parsers', () => {
  it('reads /etc/os-release', () => {
    expect(parseOsRelease(OS_RELEASE)).toEqual({ id: 'debian', name: 'Debian GNU/Linux', prettyName: 'Debian GNU/Linux 12 (bookworm)', versionId: '12' });
    expect(parseOsRelease('garbage\n\x00\n')).toEqual({});
  });

  it('keeps only valid, physical NICs from `ip -j link`', () => {
    const links = parseIpLink(IP_LINK);
    expect(links.map((l) => [l.name, l.physical, l.up])).toEqual([
      ['eno1', true, true],
      ['enp3s0', true, true],
      ['wlp2s0', true, false],
      ['vmbr0', false, true],
      ['veth1234', false, true],
    ]);
    expect(parseIpLink('not json')).toEqual([]);
    expect(parseIpLink('{"a":1}')).toEqual([]);
  });

  it('reads Wake-on support from ethtool', () => {
    expect(parseEthtool(ETHTOOL('pumbg', 'd'))).toEqual({ wolSupported: true, wolEnabled: false });
    expect(parseEthtool(ETHTOOL('pumbg', 'g'))).toEqual({ wolSupported: true, wolEnabled: true });
    expect(parseEthtool(ETHTOOL('d', 'd'))).toEqual({ wolSupported: false, wolEnabled: false });
    expect(parseEthtool('Cannot get wake-on-lan settings: Operation not permitted')).toEqual({});
  });

  it('detects Proxmox by /etc/pve or pveversion', () => {
    expect(isProxmox({ pveDir: true })).toBe(true);
    expect(isProxmox({ pveDir: false, pveversion: 'pve-manager/8.2.4/faa83925c9641325 (running kernel: 6.8.8-2-pve)\n' })).toBe(true);
    expect(isProxmox({ pveDir: false })).toBe(false);
    expect(isProxmox({ pveDir: false, pveversion: 'bash: pveversion: command not found' })).toBe(false);
  });

  it('reads hibernation support from /sys/power/disk', () => {
    expect(hibernateSupported('[platform] shutdown reboot suspend test_resume\n', 'freeze mem disk\n')).toBe(true);
    expect(hibernateSupported('[disabled]\n', 'freeze mem\n')).toBe(false);
    expect(hibernateSupported('[platform] shutdown\n', 'freeze mem\n')).toBe(false);
    expect(hibernateSupported(undefined)).toBe(false);
  });

  it('builds the system view and suggests the WoL-capable MAC', () => {
    const info = systemInfoFromFacts({
      osRelease: OS_RELEASE,
      pveDir: false,
      ipLinkJson: IP_LINK,
      ethtool: { enp3s0: ETHTOOL('pumbg', 'd') },
      sysPowerDisk: '[platform] shutdown\n',
      sysPowerState: 'freeze mem disk\n',
    });
    expect(info).toMatchObject({ os: 'Debian GNU/Linux 12 (bookworm)', systemType: 'linux', hibernate: true, suggestedMac: '3c:ec:ef:0a:0b:0c' });
    expect(info.interfaces.map((i) => i.name)).toEqual(['eno1', 'enp3s0', 'wlp2s0']);
    expect(info.interfaces[1]).toEqual({ name: 'enp3s0', mac: '3c:ec:ef:0a:0b:0c', up: true, wolSupported: true, wolEnabled: false });
    // Already configured (in any spelling): nothing to suggest.
    expect(systemInfoFromFacts({ pveDir: false, ipLinkJson: IP_LINK, ethtool: {} }, '3CEC.EF0A.0B0C').suggestedMac).toBeUndefined();
  });
});

describe('init schedule', () => {
  const policy = { maxRetries: 3, backoffBaseMs: 30_000, reinitMs: 3_600_000 };

  it('retries with backoff, then init_failed, then again after the reinit interval', () => {
    let r = freshInit();
    expect(initDue(r, 0, true, true)).toBe(true);
    expect(initDue(r, 0, false, true)).toBe(false); // a sleeping host is never woken for init
    expect(initDue(r, 0, true, false)).toBe(false); // nor one without SSH
    r = afterInitFailure(r, 0, 'refused', policy);
    expect(r).toMatchObject({ failures: 1, failed: false, nextAt: 30_000 });
    expect(initDue(r, 29_999, true, true)).toBe(false);
    r = afterInitFailure(r, 30_000, 'refused', policy);
    expect(r).toMatchObject({ failures: 2, failed: false, nextAt: 90_000 });
    r = afterInitFailure(r, 90_000, 'refused', policy);
    expect(r).toMatchObject({ failures: 3, failed: true, nextAt: 90_000 + 3_600_000, lastError: 'refused' });
    r = afterInitSuccess(4_000_000, policy);
    expect(r).toEqual({ initialisedAt: 4_000_000, failures: 0, failed: false, nextAt: 4_000_000 + 3_600_000 });
  });
});

describe('capabilities', () => {
  it('wake needs a valid MAC or a wake command, never init; SSH actions need SSH or a command', () => {
    expect(capabilitiesOf({ mac: 'aa:bb:cc:dd:ee:ff' })).toEqual({ wake: true, suspend: false, hibernate: false, shutdown: false, reboot: false });
    expect(capabilitiesOf({ mac: 'nonsense' }).wake).toBe(false);
    const ssh = { user: 'root', port: 22, auth: 'key' as const };
    expect(capabilitiesOf({ ssh })).toEqual({ wake: false, suspend: true, hibernate: true, shutdown: true, reboot: true });
    expect(capabilitiesOf({ ssh }, { hibernate: false }).hibernate).toBe(false);
    expect(capabilitiesOf({ powerControl: { useSudo: false, customCommands: { wake: { command: 'ipmitool power on', runOn: 'local' } }, timeouts: {} } }).wake).toBe(true);
  });
});
