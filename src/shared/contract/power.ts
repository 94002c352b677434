import * as z from 'zod';
import { request } from '../ipc';
import { isSecureOnPassword, SECUREON_MESSAGE } from '../net-syntax';
import { DESIRED_POWER, ipv4Schema, macSchema, portSchema, POWER_ACTIONS, type ServerView } from '../server';
import { lazySchema } from './lazy';

const id = lazySchema(() => z.string().min(1, 'a server id is required'));

export const SECRET_FIELDS = ['ssh.password', 'ssh.passphrase', 'wol.password'] as const;
export type SecretField = (typeof SECRET_FIELDS)[number];

export interface WolReport {
  /** The MAC as sent, normalised to aa:bb:cc:dd:ee:ff. */
  mac: string;
  bytes: number;
  sent: { address: string; port: number; ok: boolean; error?: string }[];
}

/** How a transition ended, and the server then; `outcome` only when waiting until it `settled`. */
export interface PowerWait {
  outcome?: 'reached' | 'timeout' | 'failed';
  server: ServerView;
}

/** Whether custom commands may run on the Rackdeck machine itself (`runOn: 'local'`). */
export interface LocalCommandsView {
  allowed: boolean;
  /** Whether this face may change it: the desktop app and the CLI may, the web face may not. */
  editable: boolean;
}

export const powerContract = {
  /** Runs a power action now; returns at once with the transitional state set. */
  run: request<ServerView>()(
    () => z
      .object({
        id,
        action: z.enum(POWER_ACTIONS),
        /** Set after the admin confirmed a destructive action or powering down a parent with running children. */
        confirm: z.boolean().optional(),
      })
      .strict(),
  ),
  /** Where the reconcile loop keeps the server; `null` leaves it alone. */
  setDesired: request<ServerView>()(() => z.object({ id, desired: z.enum(DESIRED_POWER).nullable() }).strict()),
  /**
   * Stops a running transition (a command not yet sent is not sent; one sent cannot be taken
   * back) and holds the reconcile loop's attempts until the desired state is set again.
   */
  cancel: request<ServerView>()(() => z.object({ id }).strict()),
  /** Pins the host key the server presented (and only that one), after the admin compared the fingerprints. */
  acceptHostKey: request<ServerView>()(() => z.object({ id }).strict()),
  /** One magic packet, as told: `rackdeck wol` and the "send a test packet" button. */
  wol: request<WolReport>()(
    () => z
      .object({
        mac: macSchema.refine((m) => m !== '', 'a MAC address is required'),
        /** Where to send it (default 255.255.255.255). */
        address: ipv4Schema.optional(),
        port: portSchema.optional(),
        /** SecureOn password: a.b.c.d or 6 bytes as aa:bb:cc:dd:ee:ff. */
        password: z.string().trim().refine(isSecureOnPassword, SECUREON_MESSAGE).optional(),
      })
      .strict(),
  ),
  /** Stores (or with null removes) a secret; it never comes back, only `secretsSet` says it is there. */
  setSecret: request<ServerView>()(
    () => z
      .object({ id, name: z.enum(SECRET_FIELDS), value: z.string().max(4096, 'a secret is at most 4096 characters').nullable() })
      .strict()
      .superRefine((s, ctx) => {
        // The one secret with a syntax: the card compares it byte for byte, so a typo would never wake it.
        if (s.name === 'wol.password' && s.value !== null && !isSecureOnPassword(s.value)) ctx.addIssue({ code: 'custom', path: ['value'], message: SECUREON_MESSAGE });
      }),
  ),
  /**
   * Waits for the command of the server's current transition to be sent (`sent`), or for the
   * transition to end (`settled`: the target observed, the deadline passed, or the command
   * failed), and answers with the server as it is then. Without a transition it answers at once.
   */
  wait: request<PowerWait>()(() => z.object({ id, until: z.enum(['sent', 'settled']) }).strict()),
  /** Runs the init (OS, Proxmox, NICs, WoL) now instead of at the next init sweep. */
  init: request<ServerView>()(() => z.object({ id }).strict()),
  /** After init: use this interface's MAC for Wake-on-LAN and, if asked, turn WoL on with ethtool. */
  /** Whether custom commands may run locally (off by default), and whether this face may change that. */
  localCommands: request<LocalCommandsView>()(() => z.object({}).strict()),
  /** Turns local commands on or off; refused over the web face. */
  setLocalCommands: request<LocalCommandsView>()(() => z.object({ allowed: z.boolean() }).strict()),
  useInterface: request<ServerView>()(
    () => z
      .object({ id, interface: z.string().regex(/^[A-Za-z0-9_.@-]{1,15}$/, 'an interface name like eno1'), enableWol: z.boolean().default(false) })
      .strict(),
  ),
};

// The words and the start rule live zod-free, where the page's first paint reads them (issue 16);
// main and the CLI get the very same functions through the contract.
export { ACTION_LABELS, CONFIRM_ACTIONS, actionAvailability, canStartFrom } from '../power-actions';
