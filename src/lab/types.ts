/**
 * The seam between the lab's simulated hosts and the simulated Proxmox cluster: a Proxmox node
 * is a lab host, so suspending the host takes the node (and its API listener) down, and a
 * Wake-on-LAN packet for the host brings the node back.
 */
export type LabPower = 'on' | 'off' | 'suspended' | 'booting' | 'suspending' | 'shutting_down';

export interface LabHostInfo {
  id: string;
  hostname: string;
  /** Loopback address the host's listeners bind to (127.0.1.x, or 127.0.0.1 in single-address mode). */
  address: string;
  mac: string;
  os: 'debian' | 'ubuntu' | 'proxmox' | 'windows';
  role: 'proxmox' | 'nas' | 'web' | 'desktop' | 'server';
  /** Service name → TCP port actually listened on (ssh is always present). */
  ports: Record<string, number>;
}

export interface LabNodeHost {
  readonly info: LabHostInfo;
  power(): LabPower;
  /** Called with the new power state whenever it changes. Returns an unsubscribe function. */
  onPowerChange(listener: (power: LabPower) => void): () => void;
}
