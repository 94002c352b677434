import * as z from 'zod';
import { POWER_ACTIONS, type PowerAction, type PowerState } from './power';
import type { GuestBackupView, GuestPressure } from './contract/proxmox';
import { addressProblem, isIpv4, MAC_MESSAGE, normalizeMac } from './net-syntax';
import { lazySchema } from './contract/lazy';

/**
 * The inventory entry as the admin edits it: validated at every boundary (IPC, CLI, config
 * file). Secrets are never part of it: they live in the secrets store, keyed by server id.
 */
export const SERVER_KINDS = ['physical', 'proxmox-node', 'vm', 'lxc'] as const;
export type ServerKind = (typeof SERVER_KINDS)[number];

const NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,62}$/;

export const portSchema = lazySchema(() => z
  .number({ error: 'a port is a whole number from 1 to 65535' })
  .int('a port is a whole number from 1 to 65535')
  .min(1, 'a port is a whole number from 1 to 65535')
  .max(65535, 'a port is a whole number from 1 to 65535'));

export const serverNameSchema = lazySchema(() => z
  .string()
  .trim()
  .regex(NAME, 'a name is 1–63 letters, digits, spaces, dots, dashes or underscores, starting with a letter or digit'));

/**
 * An IPv4 or IPv6 address or an RFC 1123 host name (net-syntax.ts): no spaces or shell
 * metacharacters, because addresses end up in probes, SSH and custom commands, and no
 * all-numeric name like 999.1.2.3, which a resolver would ask DNS for forever.
 */
export const addressSchema = lazySchema(() => z
  .string()
  .trim()
  .min(1, 'an address is required')
  .max(253, 'an address is at most 253 characters')
  .superRefine((a, ctx) => {
    const problem = addressProblem(a);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }));

/**
 * A server's address. Empty means "no address known", which only a discovered Proxmox guest
 * may have: a VM without a guest agent or a static IP in its config has no address Rackdeck
 * could honestly give it, and borrowing its node's would send SSH, probes and commands to the
 * hypervisor instead (issue 15). Everything that reaches a server by its address refuses an
 * empty one with `NO_ADDRESS_REASON`.
 */
const serverAddressSchema = lazySchema(() => z
  .string()
  .trim()
  .max(253, 'an address is at most 253 characters')
  .superRefine((a, ctx) => {
    const problem = a === '' ? undefined : addressProblem(a);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }));

/**
 * A MAC address in any of the four usual forms (net-syntax.ts), stored in one: lower case,
 * colon-separated. Empty means "none" (an edit clears the MAC with it).
 */
export const macSchema = lazySchema(() => z
  .string()
  .trim()
  .max(32, MAC_MESSAGE)
  .superRefine((m, ctx) => {
    if (m !== '' && normalizeMac(m) === undefined) ctx.addIssue({ code: 'custom', message: MAC_MESSAGE });
  })
  .transform((m) => (m === '' ? '' : (normalizeMac(m) as string))));

/** Whether a server has an address to be reached by (a Proxmox guest may have none yet). */
export function hasAddress(server: { address: string }): boolean {
  return server.address.trim() !== '';
}

/** Why a server without an address cannot be reached, in the words every refusal uses. */
export function noAddressReason(name: string): string {
  return `${name} has no address known: Rackdeck learns a guest's address from its guest agent or the static IP in its config, and never lends it its node's. Set its address in its settings to reach it.`;
}

// ---- Groups (issue 17): admin-defined names a server belongs to, for filters and bulk actions ----
const GROUP_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;
/** A group's name: kept exactly as typed (`server.groups?.includes(name)` is how members are found). */
export const groupNameSchema = lazySchema(() => z
  .string()
  .trim()
  .regex(GROUP_NAME, 'a group name is 1–32 letters, digits, dots, dashes or underscores, starting with a letter or digit'));
export const serverGroupsSchema = lazySchema(() => z
  .array(groupNameSchema)
  .max(32, 'a server is in at most 32 groups')
  .refine((g) => new Set(g).size === g.length, 'a group is listed twice'));

export const sshSettingsSchema = lazySchema(() => z.object({
  // Empty is its own mistake (an SSH port or key given without a user), said as such rather than as a bad name.
  user: z.string().trim().min(1, 'an SSH user is needed to use SSH (the Unix user Rackdeck logs in as)').regex(/^[a-z_][a-z0-9_.-]{0,31}$/i, 'an SSH user is a Unix user name'),
  port: portSchema.default(22),
  /** Path to a private key file on this machine; its passphrase, if any, is a secret. */
  keyPath: z.string().trim().min(1).optional(),
  auth: z.enum(['key', 'agent', 'password']).default('key'),
}));
export type SshSettings = z.infer<typeof sshSettingsSchema>;

// ---- Power control (issue 4): Wake-on-LAN, SSH power commands, desired state ----
// The actions are named in power.ts, which has no zod: the page's cards read them at first paint (issue 16).
export { POWER_ACTIONS, type PowerAction };
export const DESIRED_POWER = ['on', 'off', 'suspended'] as const;
export type DesiredPower = (typeof DESIRED_POWER)[number];

export const ipv4Schema = lazySchema(() => z.string().trim().refine(isIpv4, 'an IPv4 address like 192.168.1.20'));

export const wolSettingsSchema = lazySchema(() => z.object({
  /** The subnet's netmask (255.255.255.0) or prefix length (24), for the directed broadcast. */
  netmask: z.string().trim().regex(/^(?:\/?\d{1,2}|\d{1,3}(?:\.\d{1,3}){3})$/, 'a netmask like 255.255.255.0 or a prefix length like 24').default('255.255.255.0'),
  directedBroadcast: z.boolean().default(true),
  limitedBroadcast: z.boolean().default(true),
  /** Also send straight to the server's own address (works where ARP entries survive sleep). */
  unicast: z.boolean().default(false),
  /** More addresses to send to: a relay, a router, or the lab's listener. */
  extraTargets: z.array(addressSchema).max(8, 'at most 8 extra targets').default([]),
  ports: z.array(portSchema).min(1, 'at least one port').max(8, 'at most 8 ports').default([9, 7]),
  /** Local IPv4 address of the interface the packet leaves from. */
  bindAddress: ipv4Schema.optional(),
  /** Append the SecureOn password kept in the secrets store (`wol.password`). */
  secureOn: z.boolean().default(false),
}));
export type WolSettings = z.output<typeof wolSettingsSchema>;

export const customCommandSchema = lazySchema(() => z.object({
  command: z
    .string()
    .trim()
    .min(1, 'a command is required')
    .max(1000, 'a command is at most 1000 characters')
    .refine((c) => !/\{(?!ip\}|mac\})[^}]*\}/.test(c), 'the only placeholders are {ip} and {mac}'),
  /**
   * `ssh`: over SSH on the server itself, except for wake, which runs on its parent (`qm start`, `virsh start`)
   * since the server is asleep; `local`: here, as an argument list, never through a shell (BMCs, relays).
   */
  runOn: z.enum(['ssh', 'local']).default('ssh'),
}));
export type CustomCommand = z.output<typeof customCommandSchema>;

// Both faces take seconds (the form's field, the CLI's --ACTION-timeout), so the words say seconds.
const TIMEOUT_MESSAGE = 'a transition timeout is a whole number of seconds from 1 to 3600';
const transitionTimeout = lazySchema(() => z.number({ error: TIMEOUT_MESSAGE }).int(TIMEOUT_MESSAGE).min(1_000, TIMEOUT_MESSAGE).max(3_600_000, TIMEOUT_MESSAGE).optional());
export const powerSettingsSchema = lazySchema(() => z.object({
  /** Prefix power commands with `sudo -n` (never prompts: a missing sudoers rule fails fast). */
  useSudo: z.boolean().default(false),
  customCommands: z
    .object({ wake: customCommandSchema, suspend: customCommandSchema, hibernate: customCommandSchema, shutdown: customCommandSchema, reboot: customCommandSchema })
    .partial()
    .default({}),
  /** How long a transitional state may last before it is reverted (defaults: wake 5 min, suspend 2 min, shutdown 3 min, reboot 5 min). */
  timeouts: z.object({ wakeMs: transitionTimeout, suspendMs: transitionTimeout, shutdownMs: transitionTimeout, rebootMs: transitionTimeout }).default({}),
}));
export type PowerSettings = z.output<typeof powerSettingsSchema>;

export const serverInputSchema = lazySchema(() => z.object({
  name: serverNameSchema,
  kind: z.enum(SERVER_KINDS).default('physical'),
  address: serverAddressSchema,
  /** For Wake-on-LAN: any of the four usual forms, stored as aa:bb:cc:dd:ee:ff. */
  mac: macSchema.optional(),
  /** Ports whose TCP answer means "the host is up"; the first that answers wins. */
  ports: z.array(portSchema).max(32, 'at most 32 ports').default([22]),
  ssh: sshSettingsSchema.optional(),
  parentId: z.string().min(1).optional(),
  notes: z.string().max(2000).optional(),
  wol: wolSettingsSchema.optional(),
  /** Named apart from the view's `power` (the live state): these are the admin's settings for power commands. */
  powerControl: powerSettingsSchema.optional(),
  /** Where the reconcile loop keeps this server; absent: left alone. */
  desired: z.enum(DESIRED_POWER).optional(),
  /** The groups it is in (issue 17); absent in configs written before groups existed. */
  groups: serverGroupsSchema.optional(),
  /** Proxmox (issue 5): set on servers discovered from a cluster, naming the node or guest they are. */
  proxmox: z.lazy(() => proxmoxBindingSchema).optional(),
}).superRefine((s, ctx) => {
  // Only a discovered guest may be without an address (see serverAddressSchema).
  if (s.address === '' && s.proxmox?.vmid === undefined) ctx.addIssue({ code: 'custom', path: ['address'], message: 'an address is required' });
}));
export type ServerInput = z.input<typeof serverInputSchema>;

/** An edit names only what changes: no default may fill in a field it leaves out; an edit sets an address, never clears one. */
export const serverPatchSchema = lazySchema(() => {
  const { kind: kindField, ports: portsField, address: _address, ...plainFields } = serverInputSchema.shape;
  return z.object({ ...plainFields, address: addressSchema, kind: kindField.unwrap(), ports: portsField.unwrap() }).partial();
});
export type ServerPatch = z.output<typeof serverPatchSchema>;
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
  /** The admin's groups it is in (issue 17). */
  groups?: string[];
  power: PowerState;
  /** When the power state last changed (ms since epoch). */
  since: number;
  /** Last time any probe answered (ms since epoch). */
  lastSeen?: number;
  /** Port → open, from the last status sweep. */
  openPorts: Record<string, boolean>;
  /** Why the state is what it is, when that is not obvious (probe error, timeout…). */
  detail?: string;
  // ---- Power control (issue 4) ----
  wol?: WolSettings;
  powerControl?: PowerSettings;
  desired?: DesiredPower;
  /** Set while a command's transitional state lasts. */
  transition?: PowerTransitionView;
  /** What this server can do at all (config and what init found); the state decides what is possible now. */
  capabilities?: PowerCapabilities;
  /** The last power command or init that failed: what happened and what to try. */
  lastError?: PowerErrorView;
  /** The server presented a host key other than the pinned one: SSH to it is refused until accepted. */
  hostKey?: HostKeyMismatchView;
  /** What the init loop found over SSH. */
  system?: SystemInfoView;
  /** Which secrets are stored for this server; the secrets themselves never leave main. */
  secretsSet?: { sshPassword: boolean; sshPassphrase: boolean; wolPassword: boolean };
  /** Proxmox (issue 5): the node or guest this server is, with what the last discovery saw. */
  proxmox?: ProxmoxServerView;
  /** In an alerts maintenance window until then (issue 18): its alerts are silenced. */
  maintenanceUntil?: number;
}

export interface PowerTransitionView {
  action: PowerAction;
  target: PowerState;
  startedAt: number;
  deadline: number;
  /** What is being done now, in words ("waiting for parent nas to wake", "sending magic packet"). */
  step?: string;
}

export type PowerCapabilities = Record<PowerAction, boolean>;

export interface PowerErrorView {
  action?: PowerAction | 'init';
  message: string;
  hint?: string;
  at: number;
}

export interface HostKeyMismatchView {
  /** `host:port` the key belongs to. */
  endpoint: string;
  keyType: string;
  expected: string;
  presented: string;
  at: number;
}

export interface NetworkInterfaceView {
  name: string;
  mac: string;
  up: boolean;
  /** From ethtool: undefined when it could not be asked. */
  wolSupported?: boolean;
  wolEnabled?: boolean;
}

export interface SystemInfoView {
  os?: string;
  systemType: 'linux' | 'proxmox' | 'unknown';
  hibernate: boolean;
  interfaces: NetworkInterfaceView[];
  /** The interface whose MAC Rackdeck suggests for Wake-on-LAN, when it differs from the configured one. */
  suggestedMac?: string;
  initialisedAt?: number;
  /** Consecutive failed init attempts; init_failed is reached at the retry limit. */
  initFailures: number;
  nextInitAt?: number;
}

// ---- Proxmox (issue 5): nodes and guests discovered from a cluster ----
export const proxmoxBindingSchema = lazySchema(() => z.object({
  cluster: z.string().min(1),
  node: z.string().min(1),
  type: z.enum(['qemu', 'lxc']).optional(),
  vmid: z.number().int().positive().optional(),
  /** The name discovery gave the server: a rename in Proxmox is followed only while the admin kept it. */
  discoveredName: z.string().optional(),
}));
export type ProxmoxBinding = z.output<typeof proxmoxBindingSchema>;

export interface ProxmoxServerView extends ProxmoxBinding {
  /** The guest's name in Proxmox (the server's name may differ: renamed, or made unique). */
  guestName?: string;
  /** As the cluster reports it (running, stopped…), and QEMU's run state when known. */
  status?: string;
  qmpstatus?: string;
  template?: boolean;
  tags?: string[];
  /** HA manager state (started, stopped, error…) when the guest is an HA resource. */
  hastate?: string;
  /** Start and stop go through the HA manager (an HA resource not set to "ignored"). */
  haManaged?: boolean;
  lock?: string;
  pool?: string;
  /** The guest actions that exist in its present type and state. */
  actions?: string[];
  addresses?: string[];
  cpu?: number;
  maxcpu?: number;
  mem?: number;
  maxmem?: number;
  uptime?: number;
  /** PVE 9: the host memory a VM takes (bytes), and the guest's pressure-stall figures. */
  memhost?: number;
  pressure?: GuestPressure;
  /** The guest's last successful backup, once the cluster's backups were scanned. */
  backup?: GuestBackupView;
  /** The cluster refuses consoles for the credentials Rackdeck holds (an API token on PVE 8). */
  consoleRefusal?: string;
  /** The node's state as the cluster sees it. */
  nodeStatus?: 'online' | 'offline' | 'unknown';
  /** The task an action started, while it runs and once it ended. */
  task?: { upid: string; action: string; status: 'running' | 'stopped'; outcome: string; exitstatus?: string; startedAt: number };
}
