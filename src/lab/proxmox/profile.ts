/**
 * The two Proxmox VE releases the lab can be: 9.1 (the current one, the default) and 8.4 (still
 * widely run). A profile is plain data — what /version says, which privileges exist, which
 * features the release has — read by the handlers that answer differently on each.
 */

export type PveMajor = 9 | 8;

export interface PveProfile {
  major: PveMajor;
  /** What GET /version and /nodes/{node}/version answer. */
  version: { version: string; release: string; repoid: string };
  kernel: { release: string; version: string };
  /** QEMU of running VMs: status/current's running-qemu and the machine type's version. */
  qemu: { version: string; machine: string };
  /** Every privilege the release knows; a role naming another is refused. */
  privileges: readonly string[];
  /**
   * Guests report `memhost` and pressure-stall figures (PVE 9's pvestatd and vmstatus); on 8
   * those fields do not exist.
   */
  pressureFigures: boolean;
  /**
   * termproxy verifies the console login line through POST /access/vncticket with an `authid`
   * that may be an API token (PVE 9: termproxy --vncticket-endpoint); PVE 8's termproxy posts
   * it to /access/ticket as a user name, which a token id is not. See README.md (Consoles).
   */
  tokenConsoles: boolean;
}

const COMMON_PRIVILEGES: readonly string[] = [
  'Datastore.Allocate',
  'Datastore.AllocateSpace',
  'Datastore.AllocateTemplate',
  'Datastore.Audit',
  'Group.Allocate',
  'Mapping.Audit',
  'Mapping.Modify',
  'Mapping.Use',
  'Permissions.Modify',
  'Pool.Allocate',
  'Pool.Audit',
  'Realm.Allocate',
  'Realm.AllocateUser',
  'SDN.Allocate',
  'SDN.Audit',
  'SDN.Use',
  'Sys.AccessNetwork',
  'Sys.Audit',
  'Sys.Console',
  'Sys.Incoming',
  'Sys.Modify',
  'Sys.PowerMgmt',
  'Sys.Syslog',
  'User.Modify',
  'VM.Allocate',
  'VM.Audit',
  'VM.Backup',
  'VM.Clone',
  'VM.Config.CDROM',
  'VM.Config.CPU',
  'VM.Config.Cloudinit',
  'VM.Config.Disk',
  'VM.Config.HWType',
  'VM.Config.Memory',
  'VM.Config.Network',
  'VM.Config.Options',
  'VM.Console',
  'VM.Migrate',
  'VM.PowerMgmt',
  'VM.Snapshot',
  'VM.Snapshot.Rollback',
];

/**
 * PVE 9 dropped VM.Monitor (the QEMU monitor now needs Sys.Modify, the guest agent its own
 * VM.GuestAgent.* privileges) and split VM.Replicate off; read from the two official schemas'
 * permission checks.
 */
const PVE9_ONLY = [
  'VM.GuestAgent.Audit',
  'VM.GuestAgent.FileRead',
  'VM.GuestAgent.FileSystemMgmt',
  'VM.GuestAgent.FileWrite',
  'VM.GuestAgent.Unrestricted',
  'VM.Replicate',
];

export const PVE8: PveProfile = {
  major: 8,
  version: { version: '8.4.1', release: '8.4', repoid: '2a5fa54a8503f96d' },
  kernel: { release: '6.8.12-9-pve', version: '#1 SMP PREEMPT_DYNAMIC PMX 6.8.12-9 (2025-03-16T19:18Z)' },
  qemu: { version: '9.2.0', machine: '9.2+pve1' },
  privileges: [...COMMON_PRIVILEGES, 'VM.Monitor'].sort(),
  pressureFigures: false,
  tokenConsoles: false,
};

export const PVE9: PveProfile = {
  major: 9,
  version: { version: '9.1.2', release: '9.1', repoid: '9a1c5e0f3d6b2f47' },
  kernel: { release: '6.17.2-1-pve', version: '#1 SMP PREEMPT_DYNAMIC PMX 6.17.2-1 (2025-10-21T11:55Z)' },
  qemu: { version: '10.1.2', machine: '10.1+pve1' },
  privileges: [...COMMON_PRIVILEGES, ...PVE9_ONLY].sort(),
  pressureFigures: true,
  tokenConsoles: true,
};

export function pveProfile(major: PveMajor = 9): PveProfile {
  return major === 8 ? PVE8 : PVE9;
}
