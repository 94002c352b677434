import { counterDelta } from './counters';
import { ParseError } from './parse-error';
import { counter, linesOf } from './text';

const SOURCE = '/proc/net/dev';

export interface NetDevice {
  iface: string;
  rxBytes: number;
  rxPackets: number;
  rxErrors: number;
  rxDropped: number;
  txBytes: number;
  txPackets: number;
  txErrors: number;
  txDropped: number;
}

export function parseNetDev(input: unknown): NetDevice[] {
  const lines = linesOf(SOURCE, input);
  const devices: NetDevice[] = [];
  const seen = new Set<string>();
  let headers = 0;
  lines.forEach((raw, i) => {
    if (raw.trim() === '') return;
    const n = i + 1;
    if (raw.includes('|')) {
      headers++;
      return;
    }
    // Interface names cannot contain ':' or spaces (kernel dev_valid_name); old kernels glue
    // the first number to the colon when it is wide ("eth0:1234567"), hence `\s*`.
    const m = /^\s*([^:\s]{1,15}):\s*(.*)$/.exec(raw);
    if (!m) throw new ParseError(SOURCE, 'expected "iface: 16 counters"', n, raw);
    const iface = m[1] ?? '';
    const values = (m[2] ?? '').trim().split(/\s+/);
    if (values.length !== 16) throw new ParseError(SOURCE, `${iface} has ${values.length} counters, 16 expected`, n, raw);
    if (seen.has(iface)) throw new ParseError(SOURCE, `${iface} appears twice`, n);
    seen.add(iface);
    const c = (index: number, what: string) => counter(SOURCE, values[index], `${iface} ${what}`, n);
    devices.push({
      iface,
      rxBytes: c(0, 'rx bytes'),
      rxPackets: c(1, 'rx packets'),
      rxErrors: c(2, 'rx errors'),
      rxDropped: c(3, 'rx drops'),
      txBytes: c(8, 'tx bytes'),
      txPackets: c(9, 'tx packets'),
      txErrors: c(10, 'tx errors'),
      txDropped: c(11, 'tx drops'),
    });
  });
  if (headers === 0) throw new ParseError(SOURCE, 'no "Inter-|   Receive" header: this is not /proc/net/dev');
  return devices;
}

/** Loopback never leaves the host, so it is not network traffic. */
export const skipLoopback = (iface: string): boolean => iface === 'lo';

/**
 * Also skips interfaces that carry traffic a physical NIC already counted (Linux and Proxmox
 * bridges, VM taps, container veths, Proxmox firewall bridges), so a hypervisor's rate is not
 * counted two or three times. Hosts opt into it; the default only skips loopback.
 */
export const skipVirtual = (iface: string): boolean =>
  iface === 'lo' || /^(?:veth|tap|fwbr|fwpr|fwln|vmbr|virbr|vnet|docker|br-|cni|flannel|cali|kube-ipvs)/.test(iface);

export interface InterfaceRate {
  iface: string;
  rxPerSec: number;
  txPerSec: number;
}

export interface NetRates {
  /** Bytes per second summed over the counted interfaces. */
  rxPerSec: number;
  txPerSec: number;
  interfaces: InterfaceRate[];
  /** Interfaces left out because a counter was reset between the readings. */
  reset: string[];
}

/**
 * Rates between two readings taken `seconds` apart. Interfaces present in only one reading
 * (hot-plugged, renamed) are left out. Undefined when no time passed.
 */
export function netRates(
  prev: readonly NetDevice[],
  next: readonly NetDevice[],
  seconds: number,
  skip: (iface: string) => boolean = skipLoopback,
): NetRates | undefined {
  if (!(seconds > 0) || !Number.isFinite(seconds)) return undefined;
  const before = new Map(prev.map((d) => [d.iface, d]));
  const result: NetRates = { rxPerSec: 0, txPerSec: 0, interfaces: [], reset: [] };
  for (const d of next) {
    if (skip(d.iface)) continue;
    const p = before.get(d.iface);
    if (!p) continue;
    const rx = counterDelta(p.rxBytes, d.rxBytes);
    const tx = counterDelta(p.txBytes, d.txBytes);
    if (rx === undefined || tx === undefined) {
      result.reset.push(d.iface);
      continue;
    }
    const rate = { iface: d.iface, rxPerSec: rx / seconds, txPerSec: tx / seconds };
    result.interfaces.push(rate);
    result.rxPerSec += rate.rxPerSec;
    result.txPerSec += rate.txPerSec;
  }
  return result;
}
