import * as z from 'zod';
import { monitoringSettingsSchema } from './contract/monitoring';
import { integrationsSettingsSchema } from './contract/integrations';
import { proxmoxSettingsSchema } from './contract/proxmox';
import { bulkSettingsSchema } from './contract/groups';
import { automationSettingsSchema } from './contract/automation';
import { wakeProxySettingsSchema } from './contract/wake-proxy';
import { lazySchema } from './contract/lazy';

/** Loop intervals and limits (docs/ARCHITECTURE.md "Loops"); every one can be changed by the admin. */
export const settingsSchema = lazySchema(() => z.object({
  statusIntervalMs: z.number().int().min(1000).max(3_600_000).default(30_000),
  /** The full probe timeout: the cap of an adaptive one, what a host without history gets, and every confirmation's. */
  probeTimeoutMs: z.number().int().min(100).max(30_000).default(1_500),
  // The floor of a probe's adaptive timeout (SRTT + 4·RTTVAR of what the host answered before,
  // inventory/rtt.ts); nmap's default floor is 100 ms too. Set it to probeTimeoutMs to turn
  // adaptive timeouts off.
  probeTimeoutMinMs: z.number().int().min(10).max(30_000).default(100),
  // Full-timeout probes that must agree with a probe before it changes a server's state (on → off,
  // off → on). A false "down" then needs every confirmation lost too: with 20 % of connects lost,
  // 1 in 25 of a one-port host's silences, 1 in 625 of a two-port one's (every port is tried each
  // time). Each more costs a real "down" one more full timeout before it shows.
  probeConfirmations: z.number().int().min(1).max(5).default(2),
  // Hosts probed at once. A silent host holds its slot for a whole timeout, so a sweep lasts about
  // ceil(silent hosts / this) timeouts: 1024 keeps 1000 hosts, 30 % silent, within ~1 timeout
  // (npm run bench). Node raises its open-file limit to the hard limit, so the sockets are there.
  probeConcurrency: z.number().int().min(1).max(2048).default(1024),
  // How often a silent server (off, suspended, stopped) is probed between status sweeps, so one
  // that comes up by itself shows within seconds (inventory/watch.ts); its answer is confirmed
  // like any other. A silent host's probe is one connect nothing answers, spread over the period.
  watchSilentMs: z.number().int().min(500).max(3_600_000).default(2_000),
  /** How long the engine waits to batch state changes into one patch for the renderer. */
  patchWindowMs: z.number().int().min(0).max(5_000).default(50),
  web: z
    .object({
      host: z.string().default('127.0.0.1'),
      port: z.number().int().min(0).max(65535).default(7373),
      /** Generated on first use; required on the WebSocket and for every piece of data. */
      token: z.string().min(24).optional(),
      /**
       * Names the web face answers to besides the address it is bound to (a DNS name on the LAN,
       * a reverse proxy's name). Any other Host header is refused: DNS rebinding.
       */
      allowedHosts: z.array(z.string().trim().toLowerCase().min(1).max(253)).max(64).default([]),
      /**
       * A certificate the admin provides for HTTPS beyond loopback (PEM files). Without it, a
       * self-signed one is generated in the home on first use.
       */
      tls: z.object({ certFile: z.string().min(1), keyFile: z.string().min(1) }).strict().optional(),
    })
    .prefault({}),
  /** What power control may do on this machine itself. */
  power: z
    .object({
      /**
       * Custom power commands with `runOn: 'local'` run a program on the Rackdeck machine. Off
       * until the admin turns it on from the desktop app or the CLI (never over the web face).
       */
      allowLocalCommands: z.boolean().default(false),
    })
    .prefault({}),
  /** Metrics, history, service checks, energy and alerts (issue 6); every field has a default. */
  monitoring: monitoringSettingsSchema.prefault({}),
  /** Prometheus, Home Assistant over MQTT, remote history (issue 19); every field has a default. */
  integrations: integrationsSettingsSchema.prefault({}),
  /** Proxmox (issue 15): when a guest's last backup counts as too old, how often backups are scanned. */
  proxmox: proxmoxSettingsSchema.prefault({}),
  /** Bulk power actions (issue 17): the delay between wakes. */
  bulk: bulkSettingsSchema.prefault({}),
  /** Schedules, idle auto-suspend and keep-awake holds (issue 17); every field has a default. */
  automation: automationSettingsSchema.prefault({}),
  /** Wake on demand (issue 17): listeners that wake a server when a connection arrives for it. */
  wakeProxy: wakeProxySettingsSchema.prefault({}),
}));
export type Settings = z.output<typeof settingsSchema>;
export type SettingsInput = z.input<typeof settingsSchema>;
