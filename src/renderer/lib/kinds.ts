import type { ServerKind } from '../../shared/server';

export const KIND_LABELS: Record<ServerKind, string> = {
  physical: 'Physical',
  'proxmox-node': 'Proxmox node',
  vm: 'VM',
  lxc: 'Container',
};
