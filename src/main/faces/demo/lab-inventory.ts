import type { LabDescription, LabHostDescription } from '../../../lab/description';
import type { ServerInput } from '../../../shared/server';

export interface LabInventory {
  servers: ServerInput[];
  /** SecureOn passwords by server name: secrets, set through the power channel, never in config. */
  wolPasswords: Record<string, string>;
  cluster?: { name: string; url: string; username: string; password: string; fingerprint: string };
}

const KIND_PORTS: Record<string, string[]> = {
  proxmox: ['ssh', 'proxmox'],
  nas: ['ssh', 'http', 'https'],
  web: ['ssh', 'http', 'https'],
  desktop: ['ssh', 'rdp', 'vnc'],
  server: ['ssh'],
};

/**
 * What Rackdeck's inventory looks like for a running lab: every lab host as a physical server
 * whose magic packets go to the lab's listener on 127.0.0.1 (never a broadcast address), with
 * SSH through the lab's client key, and the lab's Proxmox cluster with its certificate pinned
 * (it is our own lab, so its fingerprint is known). The cluster is added with a user login, not
 * an API token: PVE 9's consoles take tokens but 8's do not, and the demo shows consoles on
 * either release (`--pve 9|8`). Pure, so tests and the demo share it.
 */
export function labInventory(lab: LabDescription): LabInventory {
  const wolPasswords: Record<string, string> = {};
  const servers = lab.hosts.map((host) => {
    if (host.secureOn) wolPasswords[host.hostname] = host.secureOn;
    return hostServer(host, lab);
  });
  const px = lab.proxmox;
  return {
    servers,
    wolPasswords,
    ...(px ? { cluster: { name: px.clusterName, url: px.url, ...px.credentials.user, fingerprint: px.fingerprint } } : {}),
  };
}

function hostServer(host: LabHostDescription, lab: LabDescription): ServerInput {
  const ports = (KIND_PORTS[host.role] ?? ['ssh']).map((name) => host.ports[name]).filter((p): p is number => typeof p === 'number');
  return {
    name: host.hostname,
    kind: 'physical',
    address: host.address,
    mac: host.mac,
    ports,
    ssh: { user: host.ssh.user, port: host.ssh.port, keyPath: host.ssh.keyPath, auth: 'key' },
    wol: {
      directedBroadcast: false,
      limitedBroadcast: false,
      unicast: false,
      extraTargets: [lab.wol.address],
      ports: [lab.wol.port],
      secureOn: Boolean(host.secureOn),
    },
    notes: `Simulated ${host.role} host (${host.os}) of the Rackdeck lab.`,
  };
}
