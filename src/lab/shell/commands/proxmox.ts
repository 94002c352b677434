import { OS_PROFILES } from '../../hosts/os-profiles';
import type { FileProvider } from '../vfs';
import { fail, ok, type Command, type CommandTable } from '../types';

/** What identifies a Proxmox VE node from a shell: `pveversion` and the /etc/pve cluster filesystem. */
const PVE_ENTRIES = [
  'authkey.pub', 'authkey.pub.old', 'firewall', 'ha', 'local', 'lxc', 'mapping', 'nodes', 'openvz', 'priv',
  'pve-root-ca.pem', 'pve-www.key', 'qemu-server', 'sdn', 'storage.cfg', 'user.cfg', 'virtual-guest', 'vzdump.cron',
];

const PACKAGES: readonly [string, string][] = [
  ['proxmox-kernel-helper', '8.1.0'], ['proxmox-kernel-6.8', '6.8.12-4'], ['ceph-fuse', '17.2.7-pve3'],
  ['corosync', '3.1.7-pve3'], ['criu', '3.17.1-2'], ['ifupdown2', '3.2.0-1+pmx11'], ['libjs-extjs', '7.0.0-5'],
  ['libproxmox-acme-perl', '1.5.1'], ['libpve-access-control', '8.2.0'], ['libpve-cluster-perl', '8.0.10'],
  ['libpve-common-perl', '8.2.9'], ['libpve-guest-common-perl', '5.1.6'], ['libpve-storage-perl', '8.2.9'],
  ['lxc-pve', '6.0.0-1'], ['lxcfs', '6.0.0-pve2'], ['proxmox-backup-client', '3.3.0-1'], ['proxmox-widget-toolkit', '4.3.3'],
  ['pve-cluster', '8.0.10'], ['pve-container', '5.2.2'], ['pve-firewall', '5.1.0'], ['pve-firmware', '3.14-1'],
  ['pve-ha-manager', '4.0.6'], ['pve-qemu-kvm', '9.0.2-4'], ['qemu-server', '8.3.0'], ['zfsutils-linux', '2.2.6-pve1'],
];

const pveversion: Command = (args, ctx) => {
  const profile = OS_PROFILES[ctx.machine.spec.os];
  // A node of a running lab cluster says that cluster's release (9.1 or 8.4), else its OS profile's.
  const version = ctx.machine.pveTools?.()?.managerVersion?.() ?? profile.pveVersion ?? 'pve-manager/8.3.0/c1689ccb1065a83b';
  const kernel = ctx.machine.spec.kernel.release;
  if (args.includes('-v') || args.includes('--verbose')) {
    const [, manager = '8.3.0', hash = ''] = version.split('/');
    return ok([
      `proxmox-ve: ${manager} (running kernel: ${kernel})`,
      `pve-manager: ${manager} (running version: ${manager}/${hash})`,
      ...PACKAGES.map(([name, v]) => `${name}: ${v}`),
      '',
    ].join('\n'));
  }
  if (args.length > 0) return fail(`ERROR: unknown option '${args[0]}'\nUSAGE: pveversion [--verbose]\n`, 255);
  return ok(`${version} (running kernel: ${kernel})\n`);
};

export const proxmoxFiles: FileProvider = {
  files: {
    '/etc/pve/.version': () => '{"version":42,"nodes":1}\n',
    '/etc/pve/storage.cfg': () => 'dir: local\n\tpath /var/lib/vz\n\tcontent iso,vztmpl,backup\n\nlvmthin: local-lvm\n\tthinpool data\n\tvgname pve\n\tcontent rootdir,images\n',
  },
  list: (path, ctx) => {
    if (path === '/etc/pve') return PVE_ENTRIES;
    if (path === '/etc/pve/nodes') return [ctx.machine.spec.hostname];
    if (path === '/etc/pve/qemu-server' || path === '/etc/pve/lxc') return [];
    return undefined;
  },
};

/** pveum talks to pmxcfs: root only, and only while the node belongs to a running cluster. */
const pveum: Command = (args, ctx) => {
  if (!ctx.root) return fail('ipcc_send_rec[1] failed: Permission denied\nipcc_send_rec[2] failed: Permission denied\nipcc_send_rec[3] failed: Permission denied\nUnable to load access control list: Permission denied\n', 111);
  const tools = ctx.machine.pveTools?.();
  if (!tools) return fail('ipcc_send_rec[1] failed: Connection refused\nipcc_send_rec[2] failed: Connection refused\nipcc_send_rec[3] failed: Connection refused\nUnable to load access control list: Connection refused\n', 111);
  return tools.pveum(args);
};

export const proxmoxCommands: CommandTable = { pveversion, pveum };
