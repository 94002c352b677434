import type { NetworkInterfaceView, SystemInfoView } from '../../shared/server';
import { hibernateSupported } from '../drivers/ssh/model/power-commands';
import type { RawSystemFacts } from '../drivers/ssh/model/facts';
import { isMac, parseMac } from '../drivers/wol/model/mac';
import { backoffMs } from './backoff';
import { own } from '../../shared/own';

/**
 * The init planner, pure: parsing what a host printed over SSH, and deciding when to (re)try.
 * Every parser takes untrusted text and returns only what it could validate.
 */
export function parseOsRelease(text: string): { id?: string; name?: string; prettyName?: string; versionId?: string } {
  const fields: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (!m) continue;
    let value = (m[2] ?? '').trim();
    if ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'"))) value = value.slice(1, -1);
    fields[m[1] as string] = value.replace(/[^\x20-\x7e]/g, '').slice(0, 120);
  }
  return {
    ...(fields.ID ? { id: fields.ID } : {}),
    ...(fields.NAME ? { name: fields.NAME } : {}),
    ...(fields.PRETTY_NAME ? { prettyName: fields.PRETTY_NAME } : {}),
    ...(fields.VERSION_ID ? { versionId: fields.VERSION_ID } : {}),
  };
}

export interface ParsedLink {
  name: string;
  mac: string;
  up: boolean;
  /** Ethernet and not a bridge, bond, tunnel or container veth: a candidate for WoL. */
  physical: boolean;
}

// Interfaces that carry a MAC but are not a NIC the firmware listens on.
const VIRTUAL = /^(lo|veth|docker|br-|virbr|vmbr|tap|fwbr|fwpr|fwln|vnet|tun|wg|cni|flannel|cali|kube|bond|team|dummy|macvtap|zt|tailscale)/;

export function parseIpLink(json: string): ParsedLink[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return [];
  }
  if (!Array.isArray(raw)) return [];
  const links: ParsedLink[] = [];
  for (const item of raw) {
    if (typeof item !== 'object' || item === null) continue;
    const r = item as Record<string, unknown>;
    const name = typeof r.ifname === 'string' ? r.ifname : undefined;
    const address = typeof r.address === 'string' ? r.address : undefined;
    if (!name || !address || !/^[A-Za-z0-9_.@-]{1,15}$/.test(name) || !isMac(address)) continue;
    const mac = parseMac(address).text;
    if (mac === '00:00:00:00:00:00') continue;
    const flags = Array.isArray(r.flags) ? r.flags.filter((f): f is string => typeof f === 'string') : [];
    const linkType = typeof r.link_type === 'string' ? r.link_type : 'ether';
    const up = r.operstate === 'UP' || (flags.includes('UP') && flags.includes('LOWER_UP'));
    // A port enslaved to a bridge (Proxmox's eno1 under vmbr0) is still the NIC the firmware listens on.
    const physical = linkType === 'ether' && !flags.includes('LOOPBACK') && !VIRTUAL.test(name);
    links.push({ name, mac, up, physical });
  }
  return links;
}

/** `ethtool <if>`: "Supports Wake-on: pumbg" and "Wake-on: d"; `g` is the magic packet. */
export function parseEthtool(text: string): { wolSupported?: boolean; wolEnabled?: boolean } {
  const supports = /^\s*Supports Wake-on:\s*([a-zA-Z]+)\s*$/m.exec(text)?.[1];
  const wakeOn = /^\s*Wake-on:\s*([a-zA-Z]+)\s*$/m.exec(text)?.[1];
  return {
    ...(supports !== undefined ? { wolSupported: supports.includes('g') } : {}),
    ...(wakeOn !== undefined ? { wolEnabled: wakeOn.includes('g') } : {}),
  };
}

export function isProxmox(raw: Pick<RawSystemFacts, 'pveDir' | 'pveversion'>): boolean {
  return raw.pveDir || (raw.pveversion !== undefined && /pve-manager\//.test(raw.pveversion));
}

/** What the card shows of a host after init; `configuredMac` lets it suggest a better one. */
export function systemInfoFromFacts(raw: RawSystemFacts, configuredMac?: string): Omit<SystemInfoView, 'initFailures'> {
  const os = raw.osRelease ? parseOsRelease(raw.osRelease) : {};
  const links = raw.ipLinkJson ? parseIpLink(raw.ipLinkJson) : [];
  const interfaces: NetworkInterfaceView[] = links
    .filter((l) => l.physical)
    .map((l) => ({ name: l.name, mac: l.mac, up: l.up, ...parseEthtool(own(raw.ethtool, l.name) ?? '') }));
  let current: string | undefined;
  try {
    current = configuredMac ? parseMac(configuredMac).text : undefined;
  } catch {
    current = undefined;
  }
  const best = interfaces.find((i) => i.up && i.wolSupported) ?? interfaces.find((i) => i.up) ?? interfaces[0];
  const prettyName = os.prettyName ?? os.name;
  return {
    ...(prettyName ? { os: prettyName } : {}),
    systemType: isProxmox(raw) ? 'proxmox' : raw.osRelease ? 'linux' : 'unknown',
    hibernate: hibernateSupported(raw.sysPowerDisk, raw.sysPowerState),
    interfaces,
    ...(best && best.mac !== current && !interfaces.some((i) => i.mac === current) ? { suggestedMac: best.mac } : {}),
  };
}

export interface InitRecord {
  initialisedAt?: number;
  failures: number;
  nextAt?: number;
  /** True once the retry limit was reached; cleared by the next success. */
  failed: boolean;
  lastError?: string;
}

export interface InitPolicy {
  maxRetries: number;
  backoffBaseMs: number;
  /** Both "re-run a successful init" and "try a failed one again" wait this long. */
  reinitMs: number;
}

export const DEFAULT_INIT_POLICY: InitPolicy = { maxRetries: 3, backoffBaseMs: 30_000, reinitMs: 3_600_000 };

export const freshInit = (): InitRecord => ({ failures: 0, failed: false });

/** Init needs SSH, so it only runs on a host that answers; a sleeping host is never woken for it. */
export function initDue(record: InitRecord, now: number, up: boolean, hasSsh: boolean): boolean {
  return hasSsh && up && (record.nextAt === undefined || now >= record.nextAt);
}

export function afterInitSuccess(now: number, policy: InitPolicy = DEFAULT_INIT_POLICY): InitRecord {
  return { initialisedAt: now, failures: 0, failed: false, nextAt: now + policy.reinitMs };
}

export function afterInitFailure(record: InitRecord, now: number, error: string, policy: InitPolicy = DEFAULT_INIT_POLICY): InitRecord {
  const failures = record.failures + 1;
  const failed = failures >= policy.maxRetries;
  return {
    ...(record.initialisedAt !== undefined ? { initialisedAt: record.initialisedAt } : {}),
    failures,
    failed,
    lastError: error,
    nextAt: now + (failed ? policy.reinitMs : backoffMs(failures, policy.backoffBaseMs, policy.reinitMs)),
  };
}
