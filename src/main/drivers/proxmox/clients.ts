import type { Clock } from '../../base/clock';
import type { ProxmoxClients } from '../../proxmox/port';
import { ProxmoxClient } from './client';
import { inspectCertificate } from './http';

/**
 * The Proxmox capability's client port over this driver: one HTTPS client per cluster (system
 * CAs or the pinned fingerprint, the stored credentials), and the certificate check run before
 * a self-signed cluster is trusted.
 */
export function proxmoxClients(clock: Clock): ProxmoxClients {
  return {
    connect: (config, credentials) => new ProxmoxClient({ name: config.name, url: config.url, credentials, fingerprint: config.fingerprint, clock }),
    inspectCertificate: (url) => inspectCertificate(url),
  };
}
