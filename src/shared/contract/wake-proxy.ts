import * as z from 'zod';
import { event, request } from '../ipc';
import { lazySchema } from './lazy';

/**
 * Wake on demand (issue 17): Rackdeck listens on a port of its own machine and forwards TCP
 * connections to a service of a server. A connection that arrives while the server sleeps
 * wakes it (the same power path as `rackdeck wake`), is held, its bytes buffered, until the
 * service's port opens (up to a timeout), and is then spliced through. config.json keeps the
 * listeners under `settings.wakeProxy`, every field with a default so older files read as is.
 */

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const IPV6 = /^[0-9a-f:.]*:[0-9a-f:.]*$/i;

/**
 * Where a listener binds on Rackdeck's machine: an address literal (never a name, so nothing is
 * looked up): 127.0.0.1 by default, or an address of this machine the admin adds (0.0.0.0 for every
 * interface).
 */
export const listenHostSchema = lazySchema(() => z
  .string()
  .trim()
  .refine((v) => IPV4.test(v) || IPV6.test(v), 'an address of this machine like 127.0.0.1, 192.168.1.5 or 0.0.0.0 (an IP address, not a name)'));

const portMessage = 'a port is a whole number from 1 to 65535';
const port = lazySchema(() => z.number({ error: portMessage }).int(portMessage).min(1, portMessage).max(65535, portMessage));
/** 0 asks the system for a free port (tests); the port it got is in the listener's status. */
const listenPort = lazySchema(() => z.number({ error: 'a listen port is a whole number from 0 to 65535' }).int('a listen port is a whole number from 0 to 65535').min(0, 'a listen port is a whole number from 0 to 65535').max(65535, 'a listen port is a whole number from 0 to 65535'));

export const WAKE_PROXY_TIMEOUT_DEFAULT_MS = 180_000;
const holdTimeout = lazySchema(() => z
  .number({ error: 'the hold timeout is a number of milliseconds' })
  .int('the hold timeout is a whole number of milliseconds')
  .min(1_000, 'the hold timeout is at least 1 s')
  .max(1_800_000, 'the hold timeout is at most 30 min'));

/** What the admin gives for a new listener (the id is made by Rackdeck). */
export const wakeProxyInputSchema = lazySchema(() => z
  .object({
    /** The server, by id or name. */
    server: z.string().trim().min(1, 'which server: its id or name'),
    listenHost: listenHostSchema.default('127.0.0.1'),
    listenPort,
    /** The service's port on the server (22 for SSH, 445 for Samba, 8096 for Jellyfin). */
    targetPort: port,
    /** How long a connection is held while the server wakes before it is closed (default 3 min). */
    timeoutMs: holdTimeout.default(WAKE_PROXY_TIMEOUT_DEFAULT_MS),
  })
  .strict());
export type WakeProxyInput = z.input<typeof wakeProxyInputSchema>;

export const wakeProxyListenerSchema = lazySchema(() => z
  .object({
    id: z.string().regex(/^[a-z0-9-]{1,40}$/),
    serverId: z.string().min(1),
    listenHost: listenHostSchema.default('127.0.0.1'),
    listenPort,
    targetPort: port,
    timeoutMs: holdTimeout.default(WAKE_PROXY_TIMEOUT_DEFAULT_MS),
    enabled: z.boolean().default(true),
  })
  .strict());
export type WakeProxyListener = z.output<typeof wakeProxyListenerSchema>;

export const wakeProxySettingsSchema = lazySchema(() => z
  .object({
    listeners: z.array(wakeProxyListenerSchema).max(256, 'at most 256 listeners').default([]),
  })
  .strict());
export type WakeProxySettings = z.output<typeof wakeProxySettingsSchema>;

/** A listener as the faces see it: its config and what it is doing now. */
export interface WakeProxyView extends WakeProxyListener {
  serverName: string;
  /** Whether it is bound (it binds while the engine runs its loops: the desktop app, serve, demo). */
  listening: boolean;
  /** The port it is bound to (differs from listenPort when that is 0). */
  boundPort?: number;
  /** Why it could not bind (port taken, address not on this machine). */
  error?: string;
  /** Connections spliced through to the service now. */
  active: number;
  /** Connections held while the server wakes. */
  waiting: number;
  /** Connections since the engine started. */
  total: number;
  /** The last connection that could not be served, and why. */
  lastFailure?: { at: number; reason: string };
}

/** Live counts per server, for the cards: connections spliced or held across its listeners. */
export interface WakeProxyCounts {
  /** serverId → counts; a server without listeners is absent. */
  servers: Record<string, { listeners: number; active: number; waiting: number }>;
}

export const wakeProxyContract = {
  /** Every listener with its live state; `server` narrows to one server's. */
  list: request<WakeProxyView[]>()(() => z.object({ server: z.string().trim().min(1).optional() }).strict()),
  /** Adds a listener and binds it at once when the engine runs. */
  add: request<WakeProxyView>()(() => wakeProxyInputSchema),
  /** Removes a listener; the connections it carries are closed. */
  remove: request<{ id: string }>()(() => z.object({ id: z.string().trim().min(1, 'which listener: its id') }).strict()),
  /** The live counts per server (the snapshot the `wakeProxy.counts` event then updates). */
  counts: request<WakeProxyCounts>()(() => z.object({}).strict()),
};

export const wakeProxyEvents = {
  /** A connection was accepted, spliced or closed, or a listener changed: the counts per server. */
  'wakeProxy.counts': event<WakeProxyCounts>(),
};
