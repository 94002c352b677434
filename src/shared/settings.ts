import { z } from 'zod';
import { monitoringSettingsSchema } from './contract/monitoring';
import { proxmoxSettingsSchema } from './contract/proxmox';

/** Loop intervals and limits (docs/ARCHITECTURE.md "Loops"); every one can be changed by the admin. */
export const settingsSchema = z.object({
  statusIntervalMs: z.number().int().min(1000).max(3_600_000).default(30_000),
  probeTimeoutMs: z.number().int().min(100).max(30_000).default(1_500),
  // Hosts probed at once. A silent host holds its slot for a whole timeout, so a sweep lasts about
  // ceil(silent hosts / this) timeouts: 1024 keeps 1000 hosts, 30 % silent, within ~1 timeout
  // (npm run bench). Node raises its open-file limit to the hard limit, so the sockets are there.
  probeConcurrency: z.number().int().min(1).max(2048).default(1024),
  /** How long the engine waits to batch state changes into one patch for the renderer. */
  patchWindowMs: z.number().int().min(0).max(5_000).default(50),
  web: z
    .object({
      host: z.string().default('127.0.0.1'),
      port: z.number().int().min(0).max(65535).default(7373),
      /** Generated on first use; required on the WebSocket and for every piece of data. */
      token: z.string().min(24).optional(),
    })
    .default({ host: '127.0.0.1', port: 7373 }),
  /** Metrics, history, service checks, energy and alerts (issue 6); every field has a default. */
  monitoring: monitoringSettingsSchema.prefault({}),
  /** Proxmox (issue 15): when a guest's last backup counts as too old, how often backups are scanned. */
  proxmox: proxmoxSettingsSchema.prefault({}),
});
export type Settings = z.output<typeof settingsSchema>;
export type SettingsInput = z.input<typeof settingsSchema>;
