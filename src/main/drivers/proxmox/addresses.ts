import type { GuestAddress } from '../../../shared/contract/proxmox';
import { apiPath, type ProxmoxApi } from './api';
import { isProxmoxError } from './model/errors';
import { guestConfig } from './guests';
import type { GuestRef } from './model/guests';
import { isReachableGuestAddress } from './model/addresses';
import { agentInterfacesSchema, lxcInterfacesSchema } from './model/parse';
import { dict } from '../../../shared/own';

/**
 * A guest's IP addresses: from the QEMU guest agent or the LXC interfaces while it runs, from
 * its config's net0..netN when it is stopped (or has no agent). The loopback interface,
 * link-local, multicast and unspecified addresses are left out (isReachableGuestAddress): they
 * do not reach the guest from the laptop, and a guest is never given one.
 */

const usable = isReachableGuestAddress;

/** "name=eth0,bridge=vmbr0,hwaddr=BC:24:11:..,ip=192.168.1.5/24,gw=…" → its key/value pairs. */
export function parseNetValue(value: string): Record<string, string> {
  const out = dict<string>();
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

const QEMU_MODELS = ['virtio', 'e1000', 'e1000e', 'rtl8139', 'vmxnet3', 'ne2k_pci', 'pcnet', 'i82551', 'i82557b', 'i82559er', 'ne2k_isa', 'e1000-82540em', 'e1000-82544gc', 'e1000-82545em'];

export interface ConfigNic {
  key: string;
  mac?: string;
  bridge?: string;
  name?: string;
  /** Static addresses (LXC ip=/ip6=, QEMU cloud-init ipconfigN). */
  addresses: GuestAddress[];
}

/**
 * Pure: the NICs of a config. LXC: `ip=` / `ip6=` (skipping dhcp, manual, auto); QEMU: the MAC
 * from `virtio=BC:…` and a static address from cloud-init's `ipconfigN` when there is one.
 */
export function nicsFromConfig(config: Readonly<Record<string, string>>): ConfigNic[] {
  const nics: ConfigNic[] = [];
  for (const [key, value] of Object.entries(config)) {
    const m = /^net(\d+)$/.exec(key);
    if (!m) continue;
    const kv = parseNetValue(value);
    let mac = kv.hwaddr ?? kv.macaddr;
    for (const model of QEMU_MODELS) if (!mac && kv[model]) mac = kv[model];
    const addresses: GuestAddress[] = [];
    const add = (cidr: string | undefined, family: 'ipv4' | 'ipv6') => {
      if (!cidr) return;
      const [address, prefix] = cidr.split('/');
      if (address && usable(address)) addresses.push({ address, family, ...(prefix ? { prefix: Number(prefix) } : {}), ...(kv.name ? { interface: kv.name } : {}), ...(mac ? { mac } : {}), source: 'config' });
    };
    add(kv.ip, 'ipv4');
    add(kv.ip6, 'ipv6');
    const ipconfig = config[`ipconfig${m[1]}`];
    if (ipconfig) {
      const ic = parseNetValue(ipconfig);
      add(ic.ip, 'ipv4');
      add(ic.ip6, 'ipv6');
    }
    nics.push({ key, ...(mac ? { mac } : {}), ...(kv.bridge ? { bridge: kv.bridge } : {}), ...(kv.name ? { name: kv.name } : {}), addresses });
  }
  return nics.sort((a, b) => Number(a.key.slice(3)) - Number(b.key.slice(3)));
}

export function addressesFromConfig(config: Readonly<Record<string, string>>): GuestAddress[] {
  return nicsFromConfig(config).flatMap((n) => n.addresses);
}

type Iface = { name: string; mac?: string | undefined; addresses: { address: string; family: 'ipv4' | 'ipv6'; prefix?: number | undefined }[] };

function flatten(ifaces: readonly Iface[], source: GuestAddress['source']): GuestAddress[] {
  return ifaces
    .filter((i) => i.name !== 'lo')
    .flatMap((i) =>
      i.addresses
        .filter((a) => usable(a.address))
        .map((a) => ({ address: a.address, family: a.family, ...(a.prefix !== undefined ? { prefix: a.prefix } : {}), ...(i.name ? { interface: i.name } : {}), ...(i.mac ? { mac: i.mac } : {}), source })),
    );
}

/** Pure: the agent's `{result: [...]}`. */
export function addressesFromAgent(raw: unknown): GuestAddress[] {
  return flatten(agentInterfacesSchema.parse(raw), 'agent');
}

/** Pure: the LXC interfaces list (null while stopped). */
export function addressesFromLxc(raw: unknown): GuestAddress[] {
  return flatten(lxcInterfacesSchema.parse(raw), 'lxc');
}

/** IPv4 before IPv6, each list in the order the guest reported it. */
function ordered(list: GuestAddress[]): GuestAddress[] {
  const seen = new Set<string>();
  const unique = list.filter((a) => (seen.has(a.address) ? false : (seen.add(a.address), true)));
  return [...unique.filter((a) => a.family === 'ipv4'), ...unique.filter((a) => a.family === 'ipv6')];
}

/**
 * Asks the running guest first (agent / interfaces) and falls back to the config. An agent
 * that is not configured or not running is not an error here: it is why the fallback exists.
 */
export async function guestAddresses(api: ProxmoxApi, ref: GuestRef & { running?: boolean }): Promise<GuestAddress[]> {
  if (ref.running !== false) {
    try {
      if (ref.type === 'qemu') {
        const raw = await api.get(apiPath`/nodes/${ref.node}/qemu/${ref.vmid}/agent/network-get-interfaces`, agentInterfacesSchema.transform((ifs) => flatten(ifs, 'agent')));
        if (raw.length) return ordered(raw);
      } else {
        const raw = await api.get(apiPath`/nodes/${ref.node}/lxc/${ref.vmid}/interfaces`, lxcInterfacesSchema.transform((ifs) => flatten(ifs, 'lxc')));
        if (raw.length) return ordered(raw);
      }
    } catch (error) {
      // Permission errors must surface; "agent not running", "not running", old servers without the endpoint fall back.
      if (isProxmoxError(error, 'permission') || isProxmoxError(error, 'auth') || isProxmoxError(error, 'unreachable')) throw error;
    }
  }
  return ordered(addressesFromConfig(await guestConfig(api, ref)));
}
