import { z } from 'zod';
import type { PowerState } from './power';

/**
 * The inventory entry as the admin edits it: validated at every boundary (IPC, CLI, config
 * file). Secrets are never part of it: they live in the secrets store, keyed by server id.
 */
export const SERVER_KINDS = ['physical', 'proxmox-node', 'vm', 'lxc'] as const;
export type ServerKind = (typeof SERVER_KINDS)[number];

const NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,62}$/;
// A hostname or an IPv4/IPv6 literal: letters, digits, dots, dashes, colons; no spaces or shell
// metacharacters, because addresses end up in probes, SSH and custom commands.
const ADDRESS = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}))*\.?|\[?[0-9A-Fa-f:.]+\]?)$/;

export const portSchema = z
  .number({ error: 'a port is a whole number from 1 to 65535' })
  .int('a port is a whole number from 1 to 65535')
  .min(1, 'a port is a whole number from 1 to 65535')
  .max(65535, 'a port is a whole number from 1 to 65535');

export const serverNameSchema = z
  .string()
  .trim()
  .regex(NAME, 'a name is 1–63 letters, digits, spaces, dots, dashes or underscores, starting with a letter or digit');

export const addressSchema = z
  .string()
  .trim()
  .min(1, 'an address is required')
  .max(253, 'an address is at most 253 characters')
  .regex(ADDRESS, 'an address is a hostname or an IP address');

export const sshSettingsSchema = z.object({
  user: z.string().trim().regex(/^[a-z_][a-z0-9_.-]{0,31}$/i, 'an SSH user is a Unix user name'),
  port: portSchema.default(22),
  /** Path to a private key file on this machine; its passphrase, if any, is a secret. */
  keyPath: z.string().trim().min(1).optional(),
  auth: z.enum(['key', 'agent', 'password']).default('key'),
});
export type SshSettings = z.infer<typeof sshSettingsSchema>;

export const serverInputSchema = z.object({
  name: serverNameSchema,
  kind: z.enum(SERVER_KINDS).default('physical'),
  address: addressSchema,
  /** Kept as typed; the WoL driver normalises and validates it (issue: power control). */
  mac: z.string().trim().optional(),
  /** Ports whose TCP answer means "the host is up"; the first that answers wins. */
  ports: z.array(portSchema).max(32, 'at most 32 ports').default([22]),
  ssh: sshSettingsSchema.optional(),
  parentId: z.string().min(1).optional(),
  notes: z.string().max(2000).optional(),
});
export type ServerInput = z.input<typeof serverInputSchema>;
export type ServerSpec = z.output<typeof serverInputSchema>;

export interface ServerConfig extends ServerSpec {
  id: string;
  createdAt: number;
}

/** What the renderer sees of a server: its config (no secrets) and the engine's live view. */
export interface ServerView {
  id: string;
  name: string;
  kind: ServerKind;
  address: string;
  mac?: string;
  ports: number[];
  parentId?: string;
  ssh?: { user: string; port: number; auth: 'key' | 'agent' | 'password'; keyPath?: string };
  notes?: string;
  power: PowerState;
  /** When the power state last changed (ms since epoch). */
  since: number;
  /** Last time any probe answered (ms since epoch). */
  lastSeen?: number;
  /** Port → open, from the last status sweep. */
  openPorts: Record<string, boolean>;
  /** Why the state is what it is, when that is not obvious (probe error, timeout…). */
  detail?: string;
}
