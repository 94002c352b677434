import { describe, expect, it } from 'vitest';
import { buildHostSpecs } from '../../src/lab/hosts/catalog';
import { SimHost } from '../../src/lab/hosts/host';
import type { HostSpec } from '../../src/lab/hosts/spec';
import { createSession, runScript, stderrOf, stdoutOf, type RunResult } from '../../src/lab/shell/interpreter';
import { parseScript, ShellSyntaxError } from '../../src/lab/shell/parse';
import { humanSize } from '../../src/lab/shell/commands/disk';
import { formatUptime, formatUptimePretty } from '../../src/lab/shell/commands/system';
import { linkLocal } from '../../src/lab/shell/commands/network';
import { shellFor } from '../../src/lab/shell/shells';

// The interpreter and the generated files, without sockets: a machine is a SimHost that is never started.
const plan = { singleAddress: false, firstAddress: '127.0.90.1', basePort: 20000 };
let clock = Date.UTC(2024, 10, 25, 8, 0, 0);
const specs = buildHostSpecs({ count: 8, seed: 3, plan, initialPower: 'on' });

function machine(pick: (s: HostSpec) => boolean): SimHost {
  const spec = specs.find(pick);
  if (!spec) throw new Error('no such spec');
  return new SimHost(spec, {
    seed: 3, authorizedKeys: [], bootDelayMs: 0, suspendDelayMs: 0, now: () => clock,
    tls: () => Promise.reject(new Error('no tls in unit tests')),
  });
}

const pve = machine((s) => s.role === 'proxmox');
const nas = machine((s) => s.role === 'nas');
const web = machine((s) => s.role === 'web' && s.os === 'debian');
const win = machine((s) => s.os === 'windows');
const ubuntu = machine((s) => s.os === 'ubuntu');

function run(host: SimHost, script: string, user = host.spec.user): Promise<RunResult> {
  return runScript(script, shellFor(host.spec), createSession(host.machine, user, false));
}

async function out(host: SimHost, script: string): Promise<string> {
  const result = await run(host, script);
  expect(result.code, `${script}: ${stderrOf(result)}`).toBe(0);
  return stdoutOf(result);
}

describe('catalog', () => {
  it('is deterministic per seed and differs between seeds', () => {
    const again = buildHostSpecs({ count: 8, seed: 3, plan, initialPower: 'on' });
    const other = buildHostSpecs({ count: 8, seed: 4, plan, initialPower: 'on' });
    expect(again.map((s) => [s.hostname, s.mac, s.password])).toEqual(specs.map((s) => [s.hostname, s.mac, s.password]));
    expect(other.map((s) => s.mac)).not.toEqual(specs.map((s) => s.mac));
  });

  it('puts Proxmox nodes first, then a NAS, a web server and a Windows desktop with RDP', () => {
    const six = buildHostSpecs({ count: 6, seed: 9, plan });
    expect(six.map((s) => s.role)).toEqual(['proxmox', 'proxmox', 'nas', 'web', 'desktop', 'server']);
    expect(six[4]?.os).toBe('windows');
    expect(six[4]?.ports.rdp).toBe(3389);
    expect(six[0]?.ports).toEqual({ ssh: 2222, proxmox: 8006 });
    expect(six.filter((s) => s.role !== 'proxmox').map((s) => s.initialPower)).toEqual(expect.arrayContaining(['suspended', 'off']));
    expect(six.filter((s) => s.role === 'proxmox').every((s) => s.initialPower === 'on')).toBe(true);
  });

  it('gives 1000 hosts unique locally administered MACs, unique names and loopback addresses', () => {
    const many = buildHostSpecs({ count: 1000, seed: 5, plan: { ...plan, firstAddress: '127.0.1.1' } });
    expect(new Set(many.map((s) => s.mac)).size).toBe(1000);
    expect(new Set(many.map((s) => s.id)).size).toBe(1000);
    expect(many.every((s) => /^02(:[0-9a-f]{2}){5}$/.test(s.mac))).toBe(true);
    expect(many[253]?.address).toBe('127.0.1.254');
    expect(many[254]?.address).toBe('127.0.2.1');
    expect(many.every((s) => s.address.startsWith('127.'))).toBe(true);
  });

  it('gives every host its own block of ports in single-address mode', () => {
    const single = buildHostSpecs({ count: 3, seed: 1, plan: { ...plan, singleAddress: true, basePort: 30000 } });
    expect(single.map((s) => s.address)).toEqual(['127.0.0.1', '127.0.0.1', '127.0.0.1']);
    expect(single.map((s) => s.ports.ssh)).toEqual([30000, 30008, 30016]);
  });
});

describe('/proc files', () => {
  it('/proc/stat has the aggregate cpu line with 10 fields and one line per CPU, all monotonic', async () => {
    const first = await out(pve, 'cat /proc/stat');
    const lines = first.split('\n');
    expect(lines[0]).toMatch(/^cpu {2}\d+( \d+){9}$/);
    expect(lines.filter((l) => /^cpu\d+ /.test(l))).toHaveLength(pve.spec.cpus);
    expect(first).toMatch(/^btime \d{10}$/m);
    expect(first).toMatch(/^softirq( \d+){11}$/m);
    clock += 5000;
    const second = await out(pve, 'cat /proc/stat');
    const fields = (text: string): number[] => (text.split('\n')[0] ?? '').split(/\s+/).slice(1).map(Number);
    const [a, b] = [fields(first), fields(second)];
    expect(b.every((v, i) => v >= (a[i] ?? 0))).toBe(true);
    const deltaTicks = b.slice(0, 8).reduce((s, v, i) => s + v - (a[i] ?? 0), 0);
    // 5 s × 100 Hz × CPUs, give or take rounding.
    expect(deltaTicks).toBeGreaterThan(5 * 100 * pve.spec.cpus * 0.95);
    expect(deltaTicks).toBeLessThan(5 * 100 * pve.spec.cpus * 1.05);
  });

  it('/proc/meminfo uses the kernel column layout and consistent figures', async () => {
    const text = await out(nas, 'cat /proc/meminfo');
    const rows = text.trimEnd().split('\n');
    for (const row of rows) expect(row).toMatch(/^[A-Za-z0-9_()]+:\s+\d+( kB)?$/);
    // Names are padded to 16 columns and numbers right-aligned in 8 (wider numbers just push on).
    for (const row of rows.filter((r) => r.indexOf(':') < 15 && !/\d{9}/.test(r))) {
      expect(row.replace(/ kB$/, '').length, row).toBe(24);
    }
    const value = (name: string): number => Number(new RegExp(`^${name.replace(/[()]/g, '\\$&')}:\\s+(\\d+)`, 'm').exec(text)?.[1]);
    expect(value('MemTotal')).toBe(nas.spec.memTotalKb);
    expect(value('MemFree')).toBeLessThanOrEqual(value('MemAvailable'));
    expect(value('MemAvailable')).toBeLessThanOrEqual(value('MemTotal'));
    expect(text).toContain('HardwareCorrupted:     0 kB\n');
    // Debian's 6.1 kernel predates SecPageTables; the 6.8 kernels have it.
    expect(text).not.toContain('SecPageTables');
    expect(await out(pve, 'cat /proc/meminfo')).toContain('SecPageTables:         0 kB');
  });

  it('/proc/loadavg and /proc/uptime have the kernel formats', async () => {
    expect(await out(web, 'cat /proc/loadavg')).toMatch(/^\d+\.\d\d \d+\.\d\d \d+\.\d\d \d+\/\d+ \d+\n$/);
    expect(await out(web, 'cat /proc/uptime')).toMatch(/^\d+\.\d\d \d+\.\d\d\n$/);
  });

  it('/proc/net/dev lists lo and every NIC with 16 growing counters', async () => {
    const first = await out(pve, 'cat /proc/net/dev');
    const rows = first.trimEnd().split('\n');
    expect(rows[0]).toBe('Inter-|   Receive                                                |  Transmit');
    const parse = (text: string): Map<string, number[]> => new Map(text.trimEnd().split('\n').slice(2).map((row) => {
      const [name = '', rest = ''] = row.split(':');
      return [name.trim(), rest.trim().split(/\s+/).map(Number)];
    }));
    const before = parse(first);
    expect([...before.keys()]).toEqual(['lo', 'eno1', 'vmbr0']);
    for (const counters of before.values()) expect(counters).toHaveLength(16);
    clock += 2000;
    const after = parse(await out(pve, 'cat /proc/net/dev'));
    expect(after.get('eno1')?.[0]).toBeGreaterThan(before.get('eno1')?.[0] ?? Infinity);
  });
});

describe('df', () => {
  it('prints bytes with coreutils columns and consistent Use%', async () => {
    const text = await out(nas, 'df -B1');
    const [header, ...rows] = text.trimEnd().split('\n');
    expect(header).toMatch(/^Filesystem +1B-blocks +Used +Available Use% Mounted on$/);
    const widths = new Set([header, ...rows].map((r) => (r ?? '').indexOf('%') >= 0 ? (r ?? '').lastIndexOf('%') : -1));
    expect(widths.size).toBe(1);
    for (const row of rows) {
      const [, size, used, avail, pct, target] = /^\S+ +(\d+) +(\d+) +(\d+) +(\d+|-)%? (\S+)$/.exec(row) ?? [];
      expect(target, row).toBeDefined();
      expect(Number(size) % 4096).toBe(0);
      if (pct !== '-' && Number(used) + Number(avail) > 0) {
        expect(Number(pct)).toBe(Math.ceil((Number(used) * 100) / (Number(used) + Number(avail))));
      }
    }
    expect(text).toContain(' /srv/storage\n');
  });

  it('filters by type and by path, and rejects unknown options', async () => {
    const noTmpfs = await out(web, 'df -B1 -x tmpfs -x devtmpfs');
    expect(noTmpfs).not.toMatch(/^tmpfs|^udev/m);
    expect(noTmpfs).toMatch(/ \/\n/);
    const root = (await out(web, 'df -B1 /')).trimEnd().split('\n');
    expect(root).toHaveLength(2);
    expect(root[1]).toMatch(/ \/$/);
    expect(await out(web, 'df --output=target,size -B1 /')).toMatch(/^Mounted on +1B-blocks\n\/ +\d+\n$/);
    const bad = await run(web, 'df -z');
    expect(bad.code).toBe(1);
    expect(stderrOf(bad)).toContain("df: invalid option -- 'z'");
    expect(humanSize(5242880)).toBe('5.0M');
    expect(humanSize(100_800_000_000)).toBe('94G');
  });
});

describe('network commands', () => {
  it('ip -j link is iproute2 JSON carrying the host MAC', async () => {
    const links = JSON.parse(await out(web, 'ip -j link')) as { ifname: string; address: string; linkmode?: string }[];
    expect(links[0]?.ifname).toBe('lo');
    expect(links.find((l) => l.address === web.mac)?.linkmode).toBe('DEFAULT');
  });

  it('ip -j addr puts the address on the bridge of a Proxmox node', async () => {
    type Addr = { ifname: string; master?: string; addr_info: { family: string; local: string; prefixlen: number }[] };
    const addrs = JSON.parse(await out(pve, 'ip -j addr')) as Addr[];
    expect(addrs.find((a) => a.ifname === 'eno1')?.master).toBe('vmbr0');
    const bridge = addrs.find((a) => a.ifname === 'vmbr0');
    expect(bridge?.addr_info[0]).toMatchObject({ family: 'inet', local: pve.address, prefixlen: 24 });
    expect(JSON.stringify(addrs)).not.toContain('linkmode');
    const dhcp = JSON.parse(await out(ubuntu, 'ip -j -4 addr show dev ' + (ubuntu.spec.nics[0]?.name ?? ''))) as { addr_info: Record<string, unknown>[] }[];
    expect(dhcp[0]?.addr_info[0]).toMatchObject({ dynamic: true, metric: 100 });
    expect(linkLocal('02:24:8e:b9:bd:fb')).toBe('fe80::24:8eff:feb9:bdfb');
  });

  it('ethtool reports Wake-on and can switch it as root only', async () => {
    const nic = web.spec.nics[0]?.name ?? '';
    const text = await out(web, `ethtool ${nic}`);
    expect(text).toMatch(/^\tSupports Wake-on: pumbg$/m);
    expect(text).toMatch(/^\tWake-on: g$/m);
    expect((await run(web, `ethtool -s ${nic} wol d`)).code).toBe(1);
    expect((await run(web, `sudo -n ethtool -s ${nic} wol d`)).code).toBe(0);
    expect(await out(web, `ethtool ${nic}`)).toMatch(/^\tWake-on: d$/m);
    await run(web, `sudo ethtool -s ${nic} wol g`);
    const missing = await run(web, 'ethtool eth9');
    expect(missing.code).toBe(75);
    expect(await out(pve, 'ethtool vmbr0')).not.toContain('Wake-on');
  });
});

describe('system commands', () => {
  it('uname, uptime, hostname, os-release and machine-id look like Debian 12 / Proxmox 8', async () => {
    expect(await out(web, 'uname -a')).toBe(`Linux ${web.hostname} 6.1.0-28-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1 (2024-11-22) x86_64 GNU/Linux\n`);
    expect(await out(ubuntu, 'uname -a')).toMatch(/x86_64 x86_64 x86_64 GNU\/Linux\n$/);
    expect(await out(pve, 'uname -r')).toBe('6.8.12-4-pve\n');
    expect(await out(web, 'uptime')).toMatch(/^ \d\d:\d\d:\d\d up .+, +\d+ users?, +load average: \d+\.\d\d, \d+\.\d\d, \d+\.\d\d\n$/);
    expect(await out(web, 'hostname')).toBe(`${web.hostname}\n`);
    expect(await out(pve, 'cat /etc/os-release')).toContain('\nID=debian\n');
    expect(await out(ubuntu, 'cat /etc/os-release')).toContain('\nID=ubuntu\nID_LIKE=debian\n');
    expect(await out(web, 'cat /etc/machine-id')).toMatch(/^[0-9a-f]{32}\n$/);
    expect(await out(web, 'cat /sys/power/state')).toBe('freeze mem disk\n');
    expect(await out(web, 'cat /sys/power/disk')).toBe('[platform] shutdown reboot suspend test_resume\n');
    expect(formatUptime(Date.UTC(2024, 0, 1, 18, 25, 16), 3 * 86400 + 4 * 3600 + 60, 2, [0, 0, 0]))
      .toBe(' 18:25:16 up 3 days,  4:01,  2 users,  load average: 0.00, 0.00, 0.00\n');
    expect(formatUptime(Date.UTC(2024, 0, 1, 8, 12, 3), 9 * 60, 0, [0.23, 0.23, 0.14]))
      .toBe(' 08:12:03 up 9 min,  0 user,  load average: 0.23, 0.23, 0.14\n');
    expect(formatUptimePretty(8 * 86400 + 3600 + 120)).toBe('up 1 week, 1 day, 1 hour, 2 minutes\n');
  });

  it('identifies Proxmox only on Proxmox nodes', async () => {
    expect(await out(pve, 'pveversion')).toBe('pve-manager/8.3.0/c1689ccb1065a83b (running kernel: 6.8.12-4-pve)\n');
    expect(await out(pve, 'ls /etc/pve')).toContain('\nqemu-server\n');
    expect((await run(pve, 'test -d /etc/pve')).code).toBe(0);
    expect((await run(web, 'test -d /etc/pve')).code).toBe(1);
    const missing = await run(web, 'pveversion');
    expect(missing.code).toBe(127);
    expect(stderrOf(missing)).toBe('bash: pveversion: command not found\n');
    expect((await run(web, 'ls /etc/pve')).code).toBe(2);
  });
});

describe('interpreter', () => {
  it('chains with ; && || and keeps $?', async () => {
    expect(await out(web, 'false && echo a || echo b; echo c')).toBe('b\nc\n');
    expect(await out(web, 'foo 2>/dev/null; echo $?')).toBe('127\n');
    expect(await out(web, 'true && echo "quoted  $USER" \'$HOME\'')).toBe('quoted  admin $HOME\n');
    expect(await out(web, 'echo x > /tmp/f && cat /tmp/f; echo y >> /tmp/f; cat /tmp/f')).toBe('x\nx\ny\n');
    expect(await out(web, 'cat /proc/stat | head -n 1 | grep -c "^cpu "')).toBe('1\n');
    expect(await out(web, 'cat /nope 2>&1 | wc -l')).toBe('1\n');
    const unknown = await run(web, 'foo; bar');
    expect(unknown.code).toBe(127);
    expect(stderrOf(unknown)).toBe('bash: foo: command not found\nbash: bar: command not found\n');
    expect((await run(web, 'exit 7; echo never')).code).toBe(7);
  });

  it('reports syntax errors like bash', async () => {
    expect(() => parseScript('&& ls')).toThrow(ShellSyntaxError);
    const result = await run(web, 'ls &&');
    expect(result.code).toBe(2);
    expect(stderrOf(result)).toContain('syntax error');
  });

  it('records power requests without acting, and enforces root where Linux does', async () => {
    expect((await run(web, 'systemctl suspend')).power).toBe('suspend');
    expect((await run(web, 'sudo -n systemctl suspend')).power).toBe('suspend');
    expect((await run(pve, 'shutdown -h now')).power).toBe('poweroff');
    expect((await run(pve, 'reboot')).power).toBe('reboot');
    const denied = await run(web, 'echo mem > /sys/power/state');
    expect(denied.code).toBe(1);
    expect(denied.power).toBeUndefined();
    expect(stderrOf(denied)).toBe('bash: /sys/power/state: Permission denied\n');
    expect((await run(web, "sudo -n sh -c 'echo mem > /sys/power/state'")).power).toBe('suspend');
    expect((await run(web, 'echo mem | sudo -n tee /proc/sys/power/state')).power).toBe('suspend');
    expect((await run(pve, 'echo bogus > /sys/power/state')).code).toBe(1);
    expect((await run(web, 'pm-suspend')).code).toBe(1);
    expect((await run(web, 'sudo pm-suspend')).power).toBe('suspend');
    const hibernate = await run(web, 'systemctl hibernate');
    expect(hibernate.code).toBe(1);
    expect(hibernate.power).toBeUndefined();
    web.setFault({ requireSudo: true });
    expect((await run(web, 'systemctl suspend')).code).toBe(1);
    expect((await run(web, 'sudo -n systemctl suspend')).code).toBe(0);
    web.clearFaults();
  });

  it('speaks cmd.exe on Windows hosts', async () => {
    expect(await out(win, 'ver')).toBe('\r\nMicrosoft Windows [Version 10.0.22631.4460]\r\n');
    const unknown = await run(win, 'cat /proc/stat');
    expect(unknown.code).toBe(1);
    expect(stderrOf(unknown)).toContain("'cat' is not recognized as an internal or external command");
    expect((await run(win, 'shutdown /s /t 0')).power).toBe('poweroff');
    expect((await run(win, 'rundll32.exe powrprof.dll,SetSuspendState 0,1,0')).power).toBe('suspend');
    expect(await out(win, 'getmac /fo csv /nh')).toContain(win.mac.toUpperCase().replace(/:/g, '-'));
  });
});
