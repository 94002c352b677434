import type { HostMetrics } from '../../hosts/metrics';
import type { HostSpec, NicSpec } from '../../hosts/spec';
import type { FileProvider } from '../vfs';
import { fail, ok, type Command, type CommandTable, type ExecContext } from '../types';

/**
 * Network views of the machine: /proc/net/dev, /sys/class/net, `ip` (text and -j JSON as
 * iproute2 6.x prints them, key order included) and `ethtool` with its Wake-on lines, which is
 * what Rackdeck's init loop reads to learn NICs, MACs and whether WoL is armed.
 */
interface Link {
  ifindex: number;
  name: string;
  flags: string[];
  mtu: number;
  qdisc: string;
  master?: string;
  operstate: string;
  txqlen: number;
  linkType: 'loopback' | 'ether';
  address: string;
  broadcast: string;
  altnames: string[];
  nic?: NicSpec;
}

function links(spec: HostSpec): Link[] {
  const lo: Link = {
    ifindex: 1, name: 'lo', flags: ['LOOPBACK', 'UP', 'LOWER_UP'], mtu: 65536, qdisc: 'noqueue', operstate: 'UNKNOWN',
    txqlen: 1000, linkType: 'loopback', address: '00:00:00:00:00:00', broadcast: '00:00:00:00:00:00', altnames: [],
  };
  return [lo, ...spec.nics.map((nic): Link => ({
    ifindex: nic.ifindex,
    name: nic.name,
    flags: nic.carrier ? ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'] : ['NO-CARRIER', 'BROADCAST', 'MULTICAST', 'UP'],
    mtu: 1500,
    qdisc: nic.qdisc,
    ...(nic.master ? { master: nic.master } : {}),
    operstate: nic.carrier ? 'UP' : 'DOWN',
    txqlen: 1000,
    linkType: 'ether',
    address: nic.mac,
    broadcast: 'ff:ff:ff:ff:ff:ff',
    altnames: nic.altnames,
    nic,
  }))];
}

/** Ubuntu hosts get their address from DHCP (networkd), the others are configured statically. */
function isDhcp(spec: HostSpec): boolean {
  return spec.os === 'ubuntu';
}

function dhcpLifetime(ctx: ExecContext): number {
  const up = Math.floor(ctx.machine.metrics().uptimeSec(ctx.machine.now()));
  return 86400 - (up % 43200);
}

function linkJson(link: Link, withMode: boolean): Record<string, unknown> {
  return {
    ifindex: link.ifindex,
    ifname: link.name,
    flags: link.flags,
    mtu: link.mtu,
    qdisc: link.qdisc,
    ...(link.master ? { master: link.master } : {}),
    operstate: link.operstate,
    ...(withMode ? { linkmode: 'DEFAULT' } : {}),
    group: 'default',
    txqlen: link.txqlen,
    link_type: link.linkType,
    address: link.address,
    broadcast: link.broadcast,
    ...(link.altnames.length > 0 ? { altnames: link.altnames } : {}),
  };
}

interface AddrInfo {
  family: 'inet' | 'inet6';
  local: string;
  prefixlen: number;
  broadcast?: string;
  scope: 'host' | 'global' | 'link';
  dynamic: boolean;
  label?: string;
  valid: number;
}

const FOREVER = 4294967295;

function addresses(link: Link, spec: HostSpec, ctx: ExecContext): AddrInfo[] {
  if (link.name === 'lo') {
    return [
      { family: 'inet', local: '127.0.0.1', prefixlen: 8, scope: 'host', dynamic: false, label: 'lo', valid: FOREVER },
      { family: 'inet6', local: '::1', prefixlen: 128, scope: 'host', dynamic: false, valid: FOREVER },
    ];
  }
  const ipv4 = link.nic?.ipv4;
  if (!ipv4) return [];
  const dynamic = isDhcp(spec);
  return [
    {
      family: 'inet', local: ipv4.local, prefixlen: ipv4.prefixlen, broadcast: ipv4.broadcast, scope: 'global',
      dynamic, label: link.name, valid: dynamic ? dhcpLifetime(ctx) : FOREVER,
    },
    { family: 'inet6', local: linkLocal(link.address), prefixlen: 64, scope: 'link', dynamic: false, valid: FOREVER },
  ];
}

function addrJson(a: AddrInfo, dhcpMetric: boolean): Record<string, unknown> {
  return {
    family: a.family,
    local: a.local,
    prefixlen: a.prefixlen,
    ...(a.dynamic && dhcpMetric ? { metric: 100 } : {}),
    ...(a.broadcast ? { broadcast: a.broadcast } : {}),
    scope: a.scope,
    ...(a.dynamic ? { dynamic: true } : {}),
    ...(a.label ? { label: a.label } : {}),
    valid_life_time: a.valid,
    preferred_life_time: a.valid,
  };
}

/** fe80::/64 address from the MAC (modified EUI-64), compressed as iproute2 prints it. */
export function linkLocal(mac: string): string {
  const b = mac.split(':').map((h) => Number.parseInt(h, 16));
  const eui = [(b[0] ?? 0) ^ 0x02, b[1] ?? 0, b[2] ?? 0, 0xff, 0xfe, b[3] ?? 0, b[4] ?? 0, b[5] ?? 0];
  const groups = [0xfe80, 0, 0, 0];
  for (let i = 0; i < 8; i += 2) groups.push(((eui[i] ?? 0) << 8) | (eui[i + 1] ?? 0));
  return compressIpv6(groups);
}

function compressIpv6(groups: number[]): string {
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === 0) j++;
    if (j - i > bestLength && j - i > 1) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

function linkText(link: Link, withMode: boolean): string {
  const master = link.master ? ` master ${link.master}` : '';
  const mode = withMode ? ' mode DEFAULT' : '';
  let text = `${link.ifindex}: ${link.name}: <${link.flags.join(',')}> mtu ${link.mtu} qdisc ${link.qdisc}${master} state ${link.operstate}${mode} group default qlen ${link.txqlen}\n`;
  text += `    link/${link.linkType} ${link.address} brd ${link.broadcast}\n`;
  for (const alt of link.altnames) text += `    altname ${alt}\n`;
  return text;
}

function addrText(a: AddrInfo): string {
  const brd = a.broadcast ? ` brd ${a.broadcast}` : '';
  const metric = a.dynamic ? ' metric 100' : '';
  const flags = a.dynamic ? ' dynamic' : '';
  const label = a.label ? ` ${a.label}` : ' ';
  const life = a.valid === FOREVER ? 'forever' : `${a.valid}sec`;
  return `    ${a.family} ${a.local}/${a.prefixlen}${metric}${brd} scope ${a.scope}${flags}${label}\n       valid_lft ${life} preferred_lft ${life}\n`;
}

const ip: Command = (args, ctx) => {
  let json = false;
  let family: 'inet' | 'inet6' | undefined;
  const rest: string[] = [];
  for (const arg of args) {
    if (arg === '-j' || arg === '-json' || arg === '--json') json = true;
    else if (arg === '-p' || arg === '-pretty' || arg === '-d' || arg === '-details' || arg === '-s') continue;
    else if (arg === '-4') family = 'inet';
    else if (arg === '-6') family = 'inet6';
    else if (arg.startsWith('-')) return fail(`Option "${arg}" is unknown, try "ip -help".\n`, 255);
    else rest.push(arg);
  }
  const [object = '', sub = 'show', ...filter] = rest;
  const objectName = 'link'.startsWith(object) && object !== '' ? 'link' : ['a', 'ad', 'add', 'addr', 'address'].includes(object) ? 'addr' : undefined;
  if (objectName === undefined) {
    if (object === '') return fail('Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n', 255);
    return fail(`Object "${object}" is unknown, try "ip help".\n`, 255);
  }
  if (!['show', 'list', 'lst', 'sh', 's', 'ls'].includes(sub)) {
    if (sub === 'set' || sub === 'add' || sub === 'del') return fail('RTNETLINK answers: Operation not permitted\n', 2);
    filter.unshift(sub);
  }
  const dev = filter[0] === 'dev' ? filter[1] : filter[0];
  const spec = ctx.machine.spec;
  let selected = links(spec);
  if (dev !== undefined) {
    selected = selected.filter((l) => l.name === dev || l.altnames.includes(dev));
    if (selected.length === 0) return fail(`Device "${dev}" does not exist.\n`, 1);
  }
  const withMode = objectName === 'link';
  if (json) {
    const value = selected.map((link) => {
      const base = linkJson(link, withMode);
      if (objectName === 'link') return base;
      const infos = addresses(link, spec, ctx).filter((a) => family === undefined || a.family === family);
      return { ...base, addr_info: infos.map((a) => addrJson(a, true)) };
    });
    return ok(`${JSON.stringify(value)}\n`);
  }
  return ok(selected.map((link) => {
    let text = linkText(link, withMode);
    if (objectName === 'addr') {
      for (const a of addresses(link, spec, ctx)) if (family === undefined || a.family === family) text += addrText(a);
    }
    return text;
  }).join(''));
};

const LINK_MODES: Readonly<Record<number, string[]>> = {
  1000: ['10baseT/Half 10baseT/Full', '100baseT/Half 100baseT/Full', '1000baseT/Full'],
  2500: ['10baseT/Half 10baseT/Full', '100baseT/Half 100baseT/Full', '1000baseT/Full', '2500baseT/Full'],
};

function driverOf(nic: NicSpec): { driver: string; firmware: string; bus: string } {
  if (nic.kind === 'bridge') return { driver: 'bridge', firmware: 'N/A', bus: 'N/A' };
  if (nic.speedMbps === 2500) return { driver: 'igc', firmware: '2017:888d', bus: '0000:01:00.0' };
  if (nic.name.startsWith('eno')) return { driver: 'e1000e', firmware: '0.5-4', bus: '0000:00:1f.6' };
  return { driver: 'r8169', firmware: 'rtl8168h-2_0.0.2 02/26/15', bus: '0000:01:00.0' };
}

function ethtoolSettings(nic: NicSpec | undefined, name: string, wakeMode: string | undefined): string {
  if (name === 'lo') return 'Settings for lo:\n\tLink detected: yes\n';
  if (!nic) return '';
  if (nic.kind === 'bridge') {
    return [
      `Settings for ${name}:`, '\tSupported ports: [  ]', '\tSupported link modes:   Not reported',
      '\tSupported pause frame use: No', '\tSupports auto-negotiation: No', '\tSupported FEC modes: Not reported',
      '\tAdvertised link modes:  Not reported', '\tAdvertised pause frame use: No', '\tAdvertised auto-negotiation: No',
      '\tAdvertised FEC modes: Not reported', '\tSpeed: 10000Mb/s', '\tDuplex: Unknown! (255)', '\tAuto-negotiation: off',
      '\tPort: Other', '\tPHYAD: 0', '\tTransceiver: internal', '\tLink detected: yes', '',
    ].join('\n');
  }
  const modes = LINK_MODES[nic.speedMbps] ?? LINK_MODES[1000] ?? [];
  const modeLines = (label: string): string[] =>
    modes.map((m, i) => (i === 0 ? `\t${label}${m}` : `\t                        ${m}`));
  const lines = [
    `Settings for ${name}:`,
    '\tSupported ports: [ TP ]',
    ...modeLines('Supported link modes:   '),
    '\tSupported pause frame use: Symmetric Receive-only',
    '\tSupports auto-negotiation: Yes',
    '\tSupported FEC modes: Not reported',
    ...modeLines('Advertised link modes:  '),
    '\tAdvertised pause frame use: Symmetric Receive-only',
    '\tAdvertised auto-negotiation: Yes',
    '\tAdvertised FEC modes: Not reported',
    ...(nic.carrier
      ? [`\tSpeed: ${nic.speedMbps}Mb/s`, '\tDuplex: Full']
      : ['\tSpeed: Unknown!', '\tDuplex: Unknown! (255)']),
    '\tAuto-negotiation: on',
    '\tPort: Twisted Pair',
    '\tPHYAD: 1',
    '\tTransceiver: internal',
    `\tMDI-X: ${nic.carrier ? 'on (auto)' : 'Unknown (auto)'}`,
    ...(nic.wake ? [`\tSupports Wake-on: ${nic.wake.supports}`, `\tWake-on: ${wakeMode ?? nic.wake.mode}`] : []),
    '\tCurrent message level: 0x00000007 (7)',
    '\t\t\t       drv probe link',
    `\tLink detected: ${nic.carrier ? 'yes' : 'no'}`,
    '',
  ];
  return lines.join('\n');
}

const ethtool: Command = (args, ctx) => {
  const spec = ctx.machine.spec;
  const find = (name: string | undefined): NicSpec | undefined =>
    spec.nics.find((n) => n.name === name || n.altnames.includes(name ?? ''));
  const noDevice = fail('netlink error: no device matches name (offset 24)\nnetlink error: No such device\n', 75, 'No data available\n');
  const [first, second, ...rest] = args;
  if (first === undefined) return fail('ethtool: bad command line argument(s)\nFor more information run ethtool -h\n', 1);
  if (first === '-s') {
    const nic = find(second);
    if (!nic) return noDevice;
    const wolIndex = rest.indexOf('wol');
    const mode = wolIndex >= 0 ? rest[wolIndex + 1] : undefined;
    if (mode !== 'g' && mode !== 'd') return fail('ethtool: bad command line argument(s)\nFor more information run ethtool -h\n', 1);
    if (!ctx.root) return fail('netlink error: Operation not permitted\n', 1);
    if (!nic.wake) return fail('netlink error: Operation not supported\n', 1);
    ctx.machine.setWakeOn(nic.name, mode);
    return ok();
  }
  if (first === '-i') {
    const nic = find(second);
    if (!nic) return noDevice;
    const d = driverOf(nic);
    return ok([
      `driver: ${d.driver}`, `version: ${d.driver === 'bridge' ? '2.3' : spec.kernel.release}`, `firmware-version: ${d.firmware}`,
      'expansion-rom-version: ', `bus-info: ${d.bus}`, 'supports-statistics: yes', 'supports-test: no',
      'supports-eeprom-access: no', 'supports-register-dump: yes', 'supports-priv-flags: no', '',
    ].join('\n'));
  }
  if (first === '-P') {
    const nic = find(second);
    return nic ? ok(`Permanent address: ${nic.mac}\n`) : noDevice;
  }
  if (first.startsWith('-')) return fail(`ethtool: bad command line argument(s)\nFor more information run ethtool -h\n`, 1);
  const nic = find(first);
  if (first !== 'lo' && !nic) return noDevice;
  return ok(ethtoolSettings(nic, first, nic ? ctx.machine.wakeOn(nic.name) : undefined));
};

export function renderNetDev(spec: HostSpec, m: HostMetrics): string {
  const f = Math.floor;
  const header =
    'Inter-|   Receive                                                |  Transmit\n' +
    ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n';
  const rows = ['lo', ...spec.nics.map((n) => n.name)].map((name) => {
    const c = m.nics.get(name);
    const v = c ?? { rxBytes: 0, rxPackets: 0, rxErrs: 0, rxDrop: 0, rxMulticast: 0, txBytes: 0, txPackets: 0, txErrs: 0, txDrop: 0 };
    // Same widths as dev_seq_printf_stats() in net/core/net-procfs.c.
    return `${name.padStart(6)}: ${String(f(v.rxBytes)).padStart(7)} ${String(f(v.rxPackets)).padStart(7)} ` +
      `${String(f(v.rxErrs)).padStart(4)} ${String(f(v.rxDrop)).padStart(4)} ${'0'.padStart(4)} ${'0'.padStart(5)} ` +
      `${'0'.padStart(10)} ${String(f(v.rxMulticast)).padStart(9)} ${String(f(v.txBytes)).padStart(8)} ` +
      `${String(f(v.txPackets)).padStart(7)} ${String(f(v.txErrs)).padStart(4)} ${String(f(v.txDrop)).padStart(4)} ` +
      `${'0'.padStart(4)} ${'0'.padStart(5)} ${'0'.padStart(7)} ${'0'.padStart(10)}\n`;
  });
  return header + rows.join('');
}

export const networkFiles: FileProvider = {
  files: {
    '/proc/net/dev': (ctx) => renderNetDev(ctx.machine.spec, ctx.machine.metrics()),
  },
  read: (path, ctx) => {
    const match = /^\/sys\/class\/net\/([^/]+)\/(address|operstate|carrier|mtu|speed)$/.exec(path);
    if (!match) return undefined;
    const [, name, field] = match;
    const link = links(ctx.machine.spec).find((l) => l.name === name);
    if (!link) return undefined;
    switch (field) {
      case 'address': return `${link.address}\n`;
      case 'operstate': return `${link.operstate.toLowerCase()}\n`;
      case 'carrier': return `${link.flags.includes('LOWER_UP') ? 1 : 0}\n`;
      case 'mtu': return `${link.mtu}\n`;
      default: return link.nic && link.nic.carrier ? `${link.nic.speedMbps}\n` : '-1\n';
    }
  },
  list: (path, ctx) => {
    if (path === '/sys/class/net') return links(ctx.machine.spec).map((l) => l.name).sort();
    if (path === '/proc/net') return ['dev', 'route', 'tcp', 'udp'];
    return undefined;
  },
};

export const networkCommands: CommandTable = { ip, ethtool };
