import * as z from 'zod';
import { request } from '../ipc';
import { portSchema, serverNameSchema, type ServerView } from '../server';
import { lazySchema } from './lazy';

/**
 * Network scan (issue 17): what answers on a subnet the admin names. The addresses that answer on
 * common ports (the status loop's adaptive prober), their names by reverse DNS, their MACs from
 * the kernel's neighbour table (or over SSH, for loopback lab hosts, where there is none), the
 * vendor of each MAC from the IEEE OUI list, and which of them Rackdeck already knows.
 */

/** What a scan probes when not told: SSH, HTTP(S), SMB, RDP, VNC, Proxmox and the lab's SSH port. */
export const SCAN_DEFAULT_PORTS: readonly number[] = [22, 80, 443, 445, 3389, 5900, 8006, 2222];

/** The largest subnet a scan takes: a /16, 65 534 addresses. */
export const SCAN_MAX_PREFIX = 16;

export const scanInputSchema = lazySchema(() => z
  .object({
    /** An IPv4 subnet like 192.168.1.0/24 (or one address, a /32). */
    cidr: z.string().trim().min(1, 'which subnet: like 192.168.1.0/24'),
    ports: z.array(portSchema).min(1, 'at least one port').max(32, 'at most 32 ports').optional(),
    /** Optional: log in over SSH to read the MAC of hosts the neighbour table does not know (loopback lab hosts). */
    ssh: z
      .object({
        user: z.string().trim().regex(/^[a-z_][a-z0-9_.-]{0,31}$/i, 'an SSH user is a Unix user name'),
        keyPath: z.string().trim().min(1, 'the path of a private key file'),
        port: portSchema.default(22),
      })
      .strict()
      .optional(),
  })
  .strict());
export type ScanInput = z.input<typeof scanInputSchema>;

/** Where a MAC came from. */
export type MacSource = 'neighbour' | 'inventory' | 'ssh';

export interface ScanHost {
  address: string;
  /** Ports that accepted a connection, ascending. */
  openPorts: number[];
  /** The reverse DNS name, when it has one. */
  name?: string;
  mac?: string;
  macSource?: MacSource;
  /** The MAC's vendor from the IEEE OUI list. */
  vendor?: string;
  /** The server Rackdeck already has at this address. */
  known?: { id: string; name: string };
}

export interface ScanResult {
  cidr: string;
  ports: number[];
  /** How many addresses were probed. */
  scanned: number;
  hosts: ScanHost[];
  startedAt: number;
  durationMs: number;
}

export const scanAddHostSchema = lazySchema(() => z
  .object({
    address: z.string().trim().min(1, 'an address is required'),
    /** Defaults to the reverse DNS name's first label, or the address. */
    name: serverNameSchema.optional(),
    mac: z.string().trim().optional(),
    /** The ports that answered: they become the server's status ports. */
    ports: z.array(portSchema).max(32, 'at most 32 ports').optional(),
  })
  .strict());
export type ScanAddHost = z.input<typeof scanAddHostSchema>;

export const scanContract = {
  /** Scans a subnet; refuses one larger than a /16 (and says why). */
  run: request<ScanResult>()(() => scanInputSchema),
  /** Adds the selected hosts in one step: all of them, or (on any refusal) none. */
  add: request<{ added: ServerView[] }>()(() => z.object({ hosts: z.array(scanAddHostSchema).min(1, 'select at least one host').max(256, 'at most 256 hosts at once') }).strict()),
};
