import type { ProxmoxClusterDescription } from './proxmox';
import type { LabHostInfo, LabPower } from './types';

/**
 * The JSON-serialisable picture of a running lab: what `rackdeck lab` prints and what demo mode
 * and tests import into Rackdeck's inventory. Secrets are included on purpose: it is a lab.
 */
export interface LabHostDescription {
  id: string;
  hostname: string;
  address: string;
  ports: Record<string, number>;
  mac: string;
  os: LabHostInfo['os'];
  role: LabHostInfo['role'];
  power: LabPower;
  ssh: {
    user: string;
    port: number;
    password: string;
    /** Private key file of the lab's client keypair (OpenSSH format, mode 0600). */
    keyPath: string;
    /** `SHA256:…` as OpenSSH prints it, for pinning. */
    hostKeyFingerprint: string;
    /** `ssh-ed25519 AAAA…` line, for a known_hosts file. */
    hostKey: string;
  };
  /** Wake-on-LAN SecureOn password as colon-separated hex, when the NIC demands one. */
  secureOn?: string;
  /** Wake-on mode of the NIC that owns `mac` (`g` magic packet, `d` disabled). */
  wakeOn: string;
}

export interface LabDescription {
  seed: number;
  singleAddress: boolean;
  stateDir: string;
  clientKey: { privateKeyPath: string; publicKeyPath: string; publicKey: string; fingerprint: string };
  hosts: LabHostDescription[];
  wol: { address: string; port: number; perHostAddresses: boolean };
  proxmox?: ProxmoxClusterDescription;
}
