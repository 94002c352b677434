/**
 * docs/PERFORMANCE.md: "status sweep, 1000 hosts, 30 % not answering → ≤ 1.5 × one probe timeout".
 * The lab's 1000 hosts (all on), the engine's real prober (TCP connects) with the settings'
 * timeout and concurrency, each server probing its lab host's service ports.
 *
 * Two kinds of "not answering", both 30 %:
 * - refused: 300 lab hosts powered off. They refuse at once (loopback answers a closed port with
 *   a RST), so this is the cheap case;
 * - silent: 300 servers whose addresses black-hole every connect (bench/support/black-hole.ts),
 *   as a machine that is off does on a real LAN: each of those probes costs a whole timeout.
 */
import { startLab } from '../src/lab/lab';
import { systemClock } from '../src/main/base/clock';
import { composeCore } from '../src/main/root/core';
import { silentLogger } from '../src/main/base/logger';
import { memorySecrets } from '../src/main/proxmox/io/cluster-secrets';
import { probeHost } from '../src/main/drivers/probe';
import { openConfigStore } from '../src/main/store/config-store';
import { settingsSchema, type SettingsInput } from '../src/shared/settings';
import { startBlackHoles } from './support/black-hole';
import { fmtS, makeHome, median, watchdog, type BenchServer } from './support/home';
import { judge, targetFor } from './targets';

const TARGET = targetFor('status-sweep');
const HOSTS = Number(process.env.BENCH_HOSTS ?? 1000);
const SILENT = Math.round(HOSTS * 0.3);
const ROUNDS = 3;
const BLACK_HOLE_PORTS = [2222, 8080];
const stop = watchdog(10 * 60_000, 'status sweep');

const defaults = settingsSchema.parse({});
const lab = await startLab({ hosts: HOSTS, proxmox: false, initialPower: 'on', firstAddress: '127.10.0.1', wolPort: 0, seed: 7 });
const holes = Array.from({ length: SILENT }, (_, i) => `127.11.${Math.floor(i / 250)}.${(i % 250) + 1}`);
const blackHoles = await startBlackHoles(holes, BLACK_HOLE_PORTS);
console.log(`lab: ${HOSTS} hosts on 127.10.x.x; ${blackHoles.silent} silent endpoints on ${SILENT} addresses (127.11.x.x, ports ${BLACK_HOLE_PORTS.join(', ')})`);

// Silent servers are spread through the list, as they are in a real inventory.
const silentAt = new Set(Array.from({ length: SILENT }, (_, i) => Math.floor((i * HOSTS) / SILENT)));
const labServers = (): BenchServer[] =>
  lab.hosts.map((h, i) => ({
    id: `h${i}`,
    name: `h${i}`,
    address: h.address,
    ports: Object.entries(h.spec.ports)
      .filter(([service]) => service !== 'proxmox')
      .map(([, p]) => p),
  }));

async function sweepFigures(servers: BenchServer[], settings: SettingsInput): Promise<{ times: number[]; down: number; up: number }> {
  const home = makeHome({ servers, settings });
  const { engine } = composeCore({ store: openConfigStore(home.dir), clock: systemClock, probe: probeHost, log: silentLogger, proxmox: { secrets: memorySecrets() } });
  const times: number[] = [];
  try {
    for (let r = 0; r < ROUNDS; r++) {
      const t0 = performance.now();
      await engine.sweep();
      times.push(performance.now() - t0);
    }
    const views = engine.snapshot().servers;
    return { times, up: views.filter((v) => v.power === 'on').length, down: views.filter((v) => v.power === 'off').length };
  } finally {
    engine.stop();
    home.remove();
  }
}

function report(label: string, settings: SettingsInput, f: { times: number[]; up: number; down: number }): void {
  const timeout = settings.probeTimeoutMs ?? defaults.probeTimeoutMs;
  const concurrency = settings.probeConcurrency ?? defaults.probeConcurrency;
  const m = median(f.times);
  const ratio = m / timeout;
  console.log(
    `status sweep: ${HOSTS} hosts, 30 % ${label}: ${fmtS(m)} = ${ratio.toFixed(2)} × probe timeout ${judge(TARGET, ratio, `${label}, concurrency ${concurrency}`)}` +
      `  [timeout ${timeout} ms, concurrency ${concurrency}${settings.probeConcurrency === undefined ? ' (default)' : ''}; rounds ${f.times.map((t) => fmtS(t)).join(' / ')}; ${f.up} on, ${f.down} off]`,
  );
}

try {
  const base = labServers();
  // The defaults, and the default before this bench existed (256) for comparison; BENCH_CONCURRENCY adds another.
  const variants: SettingsInput[] = [{}, { probeConcurrency: 256 }];
  if (process.env.BENCH_CONCURRENCY) variants.push({ probeConcurrency: Number(process.env.BENCH_CONCURRENCY) });

  // Refused: the lab hosts at the silent positions are powered off.
  await Promise.all([...silentAt].map((i) => lab.hosts[i]?.powerOff()));
  for (const settings of variants) report('refused (lab hosts off)', settings, await sweepFigures(base, settings));
  await Promise.all([...silentAt].map((i) => lab.hosts[i]?.powerOn()));

  // Silent: the same positions point at black holes instead.
  let k = 0;
  const withHoles = base.map((s, i) => (silentAt.has(i) ? { ...s, address: holes[k++] as string, ports: BLACK_HOLE_PORTS } : s));
  for (const settings of variants) report('silent (black-holed, no answer at all)', settings, await sweepFigures(withHoles, settings));
} finally {
  await blackHoles.stop();
  await lab.stop();
  stop();
}
