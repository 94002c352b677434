import { describe, expect, it } from 'vitest';
import { diskTotals, parseDf } from '../../src/main/monitoring/metrics/df';
import { ParseError } from '../../src/main/monitoring/metrics/parse-error';
import { CENTOS6_DF_WRAPPED, DEBIAN12_DF, GARBAGE, PROXMOX8_DF } from './fixtures';
import { runDf } from './real-host';

describe('df -B1', () => {
  it('reads this machine', () => {
    const text = runDf();
    const all = parseDf(text, { includeVirtual: true });
    const root = all.find((d) => d.mount === '/');
    expect(root?.size).toBeGreaterThan(0);
    expect(root!.used + root!.avail).toBeLessThanOrEqual(root!.size);
    expect(parseDf(text).every((d) => !['tmpfs', 'devtmpfs', 'udev', 'overlay'].includes(d.filesystem))).toBe(true);
  });

  it('reads Debian 12 and skips udev and tmpfs', () => {
    expect(parseDf(DEBIAN12_DF)).toEqual([
      { filesystem: '/dev/sda1', size: 33501757440, used: 7124508672, avail: 24643874816, mount: '/' },
      { filesystem: '/dev/sda15', size: 129718272, used: 12124160, avail: 117594112, mount: '/boot/efi' },
    ]);
    expect(parseDf(DEBIAN12_DF, { includeVirtual: true })).toHaveLength(7);
  });

  it('reads Proxmox 8: LVM root, pmxcfs, ZFS datasets, a CIFS storage', () => {
    const disks = parseDf(PROXMOX8_DF);
    expect(disks.map((d) => d.mount)).toEqual(['/', '/boot/efi', '/etc/pve', '/tank', '/tank/backups', '/mnt/pve/media']);
    expect(diskTotals(disks)).toEqual({ used: 15871234048, total: 100861726720 });
    expect(diskTotals(disks, ['/', '/tank/backups'])).toEqual({ used: 15871234048 + 1173203927040, total: 100861726720 + 5012345012224 });
    expect(diskTotals(disks, ['/nope'])).toBeUndefined();
  });

  it('joins a long device name wrapped onto its own line', () => {
    expect(parseDf(CENTOS6_DF_WRAPPED)).toEqual([
      { filesystem: '/dev/mapper/VolGroup-lv_root', size: 53660876800, used: 5368709120, avail: 45566394368, mount: '/' },
      { filesystem: '/dev/sda1', size: 507744256, used: 65880064, avail: 415653888, mount: '/boot' },
      { filesystem: '/dev/mapper/VolGroup-lv_home', size: 428373786624, used: 209715200, avail: 406404194304, mount: '/home' },
    ]);
  });

  it('keeps spaces in device names and mount points', () => {
    const text = 'Filesystem 1B-blocks Used Available Use% Mounted on\n//nas/my share 1000 400 600 40% /mnt/my share\n';
    expect(parseDf(text)).toEqual([{ filesystem: '//nas/my share', size: 1000, used: 400, avail: 600, mount: '/mnt/my share' }]);
  });

  it('accepts the POSIX format and skips rows without figures', () => {
    const text = 'Filesystem 1-blocks Used Available Capacity Mounted on\n/dev/sda1 1000 400 600 40% /\nsshfs#x - - - - /mnt/x\n';
    expect(parseDf(text)).toHaveLength(1);
  });

  it.each([...GARBAGE, 'Filesystem 1K-blocks Used Available Use% Mounted on\n/dev/sda1 1 1 0 100% /\n', 'Dateisystem 1B-Blöcke Benutzt Verfügbar Verw% Eingehängt auf\n'])(
    'rejects %j',
    (input) => {
      expect(() => parseDf(input)).toThrow(ParseError);
    },
  );

  it('names what is wrong', () => {
    expect(() => parseDf('Filesystem 1B-blocks Used Available Use% Mounted on\n/dev/mapper/long\n')).toThrow(/the figures for \/dev\/mapper\/long are missing/);
    expect(() => parseDf('Filesystem 1B-blocks Used Available Use% Mounted on\n/dev/sda1 10 x 5 50% /\n')).toThrow(/line 2: expected "filesystem size used avail use% mount"/);
    expect(() => parseDf('Filesystem 1K-blocks Used Available Use% Mounted on\n')).toThrow(/not in bytes/);
  });
});
