import type { HostMetrics } from '../../hosts/metrics';
import type { HostSpec } from '../../hosts/spec';
import type { FileProvider } from '../vfs';

/**
 * /proc files as Linux 6.x prints them. Field widths follow the kernel's seq_printf formats
 * (fs/proc/stat.c, meminfo.c, loadavg.c) so column-sensitive parsers are tested for real.
 */
export function renderProcStat(m: HostMetrics): string {
  const f = Math.floor;
  const line = (label: string, c: HostMetrics['cpus'][number]): string =>
    `${label} ${[c.user, c.nice, c.system, c.idle, c.iowait, c.irq, c.softirq, c.steal, c.guest, c.guestNice].map(f).join(' ')}`;
  const total = m.cpus.reduce(
    (acc, c) => {
      for (const key of Object.keys(acc) as (keyof typeof acc)[]) acc[key] += f(c[key]);
      return acc;
    },
    { user: 0, nice: 0, system: 0, idle: 0, iowait: 0, irq: 0, softirq: 0, steal: 0, guest: 0, guestNice: 0 },
  );
  const intrTotal = f(m.intr);
  const intrShares = INTR_SHARES.map((share) => f(m.intr * share));
  const softTotal = m.softirqs.reduce((sum, v) => sum + f(v), 0);
  return [
    // The aggregate line has two spaces after "cpu": the kernel pads the label, not the numbers.
    line('cpu ', total),
    ...m.cpus.map((c, i) => line(`cpu${i}`, c)),
    `intr ${intrTotal} ${intrShares.join(' ')}`,
    `ctxt ${f(m.ctxt)}`,
    `btime ${f(m.bootedAtMs / 1000)}`,
    `processes ${f(m.processes) + 1200}`,
    `procs_running ${m.running}`,
    `procs_blocked ${m.blocked}`,
    `softirq ${softTotal} ${m.softirqs.map(f).join(' ')}`,
  ].join('\n') + '\n';
}

const INTR_SHARES: readonly number[] = [
  0, 0.0000002, 0, 0, 0, 0, 0, 0, 0.00001, 0.002, 0, 0, 0.00004, 0, 0, 0, 0.0003, 0, 0, 0, 0, 0, 0, 0.00002,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.21, 0.19, 0.18, 0.17, 0, 0.12, 0.08, 0.0001, 0.02, 0.03, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
];

export function renderMeminfo(spec: HostSpec, m: HostMetrics): string {
  const mem = m.memory;
  const total = spec.memTotalKb;
  const slab = mem.slabReclaimableKb + mem.slabUnreclaimKb;
  const used = mem.anonKb + mem.cachedKb + mem.buffersKb + slab + mem.kernelStackKb + mem.pageTablesKb;
  const free = Math.max(total * 0.02, total - used);
  const available = Math.min(total, free + mem.cachedKb * 0.85 + mem.buffersKb + mem.slabReclaimableKb * 0.6);
  const activeFile = mem.cachedKb * 0.35;
  const inactiveFile = mem.cachedKb * 0.6 + mem.buffersKb;
  const activeAnon = mem.anonKb * 0.9 + mem.shmemKb;
  const inactiveAnon = mem.anonKb * 0.1;
  const swapFree = spec.swapTotalKb - mem.swapUsedKb;
  const directMap2M = Math.floor((total * 0.55) / 2048) * 2048;
  const directMap1G = Math.max(0, Math.floor((total * 0.42) / 1048576) * 1048576);
  const rows: [string, number, boolean][] = [
    ['MemTotal', total, true], ['MemFree', free, true], ['MemAvailable', available, true],
    ['Buffers', mem.buffersKb, true], ['Cached', mem.cachedKb, true], ['SwapCached', 0, true],
    ['Active', activeAnon + activeFile, true], ['Inactive', inactiveAnon + inactiveFile, true],
    ['Active(anon)', activeAnon, true], ['Inactive(anon)', inactiveAnon, true],
    ['Active(file)', activeFile, true], ['Inactive(file)', inactiveFile, true],
    ['Unevictable', 0, true], ['Mlocked', 0, true],
    ['SwapTotal', spec.swapTotalKb, true], ['SwapFree', swapFree, true],
    ['Zswap', 0, true], ['Zswapped', 0, true],
    ['Dirty', mem.dirtyKb, true], ['Writeback', 0, true], ['AnonPages', mem.anonKb, true],
    ['Mapped', mem.cachedKb * 0.12, true], ['Shmem', mem.shmemKb, true],
    ['KReclaimable', mem.slabReclaimableKb, true], ['Slab', slab, true],
    ['SReclaimable', mem.slabReclaimableKb, true], ['SUnreclaim', mem.slabUnreclaimKb, true],
    ['KernelStack', mem.kernelStackKb, true], ['PageTables', mem.pageTablesKb, true],
    // Added in 6.3: present on the Proxmox and Ubuntu 6.8 kernels, absent on Debian's 6.1.
    ...(kernelAtLeast(spec.kernel.release, 6, 3) ? [['SecPageTables', 0, true] as [string, number, boolean]] : []),
    ['NFS_Unstable', 0, true], ['Bounce', 0, true], ['WritebackTmp', 0, true],
    ['CommitLimit', total / 2 + spec.swapTotalKb, true], ['Committed_AS', mem.anonKb * 1.6, true],
    ['VmallocTotal', 34359738367, true], ['VmallocUsed', 40000 + spec.cpus * 3000, true], ['VmallocChunk', 0, true],
    ['Percpu', spec.cpus * 1024 + 2560, true],
    ['HardwareCorrupted', 0, true],
    ['AnonHugePages', 0, true], ['ShmemHugePages', 0, true], ['ShmemPmdMapped', 0, true],
    ['FileHugePages', 0, true], ['FilePmdMapped', 0, true],
    ...(kernelAtLeast(spec.kernel.release, 6, 8) ? [['Unaccepted', 0, true] as [string, number, boolean]] : []),
    ['HugePages_Total', 0, false], ['HugePages_Free', 0, false], ['HugePages_Rsvd', 0, false], ['HugePages_Surp', 0, false],
    ['Hugepagesize', 2048, true], ['Hugetlb', 0, true],
    ['DirectMap4k', Math.max(0, total - directMap2M - directMap1G), true], ['DirectMap2M', directMap2M, true],
    ['DirectMap1G', directMap1G, true],
  ];
  return rows.map(([name, value, kb]) => meminfoLine(name, Math.floor(value), kb)).join('');
}

function meminfoLine(name: string, value: number, kb: boolean): string {
  // HardwareCorrupted has its own format string in the kernel ("%5lu kB" after one space).
  if (name === 'HardwareCorrupted') return `HardwareCorrupted: ${String(value).padStart(5)} kB\n`;
  return `${`${name}:`.padEnd(16)}${String(value).padStart(8)}${kb ? ' kB' : ''}\n`;
}

export function kernelAtLeast(release: string, major: number, minor: number): boolean {
  const [ma = 0, mi = 0] = release.split(/[.-]/).map(Number);
  return ma > major || (ma === major && mi >= minor);
}

export function renderLoadavg(m: HostMetrics): string {
  const [a = 0, b = 0, c = 0] = m.loadavg;
  const lastPid = (Math.floor(m.processes) + 1200) % 4194304;
  return `${a.toFixed(2)} ${b.toFixed(2)} ${c.toFixed(2)} ${m.running}/${m.tasks} ${lastPid}\n`;
}

export function renderUptime(m: HostMetrics, nowMs: number): string {
  return `${m.uptimeSec(nowMs).toFixed(2)} ${m.idleSec().toFixed(2)}\n`;
}

export function renderCpuinfo(spec: HostSpec): string {
  const amd = spec.cpuModel.startsWith('AMD');
  const smt = amd;
  const cores = smt ? spec.cpus / 2 : spec.cpus;
  const blocks: string[] = [];
  for (let i = 0; i < spec.cpus; i++) {
    blocks.push([
      `processor\t: ${i}`,
      `vendor_id\t: ${amd ? 'AuthenticAMD' : 'GenuineIntel'}`,
      `cpu family\t: ${amd ? 25 : 6}`,
      `model\t\t: ${amd ? 33 : 158}`,
      `model name\t: ${spec.cpuModel}`,
      `stepping\t: ${amd ? 0 : 10}`,
      `microcode\t: ${amd ? '0xa201205' : '0xf8'}`,
      `cpu MHz\t\t: ${spec.cpuMhz.toFixed(3)}`,
      `cache size\t: ${amd ? 512 : 9216} KB`,
      'physical id\t: 0',
      `siblings\t: ${spec.cpus}`,
      `core id\t\t: ${i % cores}`,
      `cpu cores\t: ${cores}`,
      `apicid\t\t: ${i}`,
      `initial apicid\t: ${i}`,
      'fpu\t\t: yes',
      'fpu_exception\t: yes',
      `cpuid level\t: ${amd ? 16 : 22}`,
      'wp\t\t: yes',
      `flags\t\t: ${CPU_FLAGS}`,
      `bugs\t\t: ${amd ? 'sysret_ss_attrs spectre_v1 spectre_v2 spec_store_bypass srso' : 'cpu_meltdown spectre_v1 spectre_v2 spec_store_bypass l1tf mds swapgs itlb_multihit srbds mmio_stale_data retbleed gds'}`,
      `bogomips\t: ${(spec.cpuMhz * 2).toFixed(2)}`,
      'clflush size\t: 64',
      'cache_alignment\t: 64',
      `address sizes\t: ${amd ? 48 : 39} bits physical, 48 bits virtual`,
      'power management:',
      '',
    ].join('\n'));
  }
  return `${blocks.join('\n')}\n`;
}

const CPU_FLAGS =
  'fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ht syscall nx ' +
  'pdpe1gb rdtscp lm constant_tsc rep_good nopl xtopology nonstop_tsc cpuid aperfmperf pni pclmulqdq monitor ssse3 fma ' +
  'cx16 sse4_1 sse4_2 x2apic movbe popcnt aes xsave avx f16c rdrand lahf_lm abm 3dnowprefetch fsgsbase bmi1 avx2 smep ' +
  'bmi2 erms invpcid rdseed adx smap clflushopt xsaveopt xsavec xgetbv1 xsaves';

export function renderProcVersion(spec: HostSpec): string {
  return `Linux version ${spec.kernel.release} ${spec.kernel.compiler} ${spec.kernel.version}\n`;
}

export const procFiles: FileProvider = {
  files: {
    '/proc/stat': (ctx) => renderProcStat(ctx.machine.metrics()),
    '/proc/meminfo': (ctx) => renderMeminfo(ctx.machine.spec, ctx.machine.metrics()),
    '/proc/loadavg': (ctx) => renderLoadavg(ctx.machine.metrics()),
    '/proc/uptime': (ctx) => renderUptime(ctx.machine.metrics(), ctx.machine.now()),
    '/proc/cpuinfo': (ctx) => renderCpuinfo(ctx.machine.spec),
    '/proc/version': (ctx) => renderProcVersion(ctx.machine.spec),
    '/proc/sys/kernel/hostname': (ctx) => `${ctx.machine.spec.hostname}\n`,
  },
  list: (path) => (path === '/proc' ? ['cpuinfo', 'loadavg', 'meminfo', 'net', 'stat', 'sys', 'uptime', 'version'] : undefined),
};
