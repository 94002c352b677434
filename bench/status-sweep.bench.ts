/**
 * docs/PERFORMANCE.md: the status sweep of 1000 hosts, 30 % not answering, as a multiple of one
 * probe timeout and side by side with nmap on the same targets in the same run.
 * The lab's 1000 hosts (all on), the engine's real prober (TCP connects) with the settings'
 * timeouts and concurrency, each server probing its lab host's service ports.
 *
 * Two kinds of "not answering", both 30 %:
 * - refused: 300 lab hosts powered off. They refuse at once (loopback answers a closed port with
 *   a RST), so this is the cheap case;
 * - silent: 300 servers whose addresses black-hole every connect (bench/support/black-hole.ts),
 *   as a machine that is off does on a real LAN: each of those probes costs a whole timeout.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
const VS_NMAP = targetFor('status-sweep.vs-nmap');
const WRONG = targetFor('status-sweep.wrong');
const NMAP = process.env.BENCH_NMAP ?? '/usr/bin/nmap';
const HOSTS = Number(process.env.BENCH_HOSTS ?? 1000);
const SILENT = Math.round(HOSTS * 0.3);
// The first sweep knows no round trip: every probe gets the full timeout. From the second on, a
// host's timeout comes from what it answered with (and a silent host's from the network's), so
// the judged figure is the median of sweeps 2..ROUNDS: the steady state of a status loop that
// runs every 30 s. nmap learns its round trips within its one run, which is what it is measured on.
const ROUNDS = 4;
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

interface Sweeps {
  times: number[];
  up: number;
  down: number;
  /** Servers whose state is not what the lab says (an address in `silent` is off, every other on). */
  wrong: number;
}

async function sweepFigures(servers: BenchServer[], settings: SettingsInput, silent: ReadonlySet<string>): Promise<Sweeps> {
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
    const wrong = views.filter((v) => v.power !== (silent.has(v.address) ? 'off' : 'on')).length;
    return { times, wrong, up: views.filter((v) => v.power === 'on').length, down: views.filter((v) => v.power === 'off').length };
  } finally {
    engine.stop();
    home.remove();
  }
}

const later = (f: Sweeps) => median(f.times.slice(1));

function report(label: string, settings: SettingsInput, f: Sweeps): void {
  const timeout = settings.probeTimeoutMs ?? defaults.probeTimeoutMs;
  const concurrency = settings.probeConcurrency ?? defaults.probeConcurrency;
  const m = later(f);
  const ratio = m / timeout;
  console.log(
    `status sweep: ${HOSTS} hosts, 30 % ${label}: sweeps 2–${ROUNDS} ${fmtS(m)} = ${ratio.toFixed(2)} × probe timeout ${judge(TARGET, ratio, `${label}, concurrency ${concurrency}`)}` +
      `  [first sweep (no history) ${fmtS(f.times[0] ?? NaN)}; timeout ${timeout} ms, floor ${settings.probeTimeoutMinMs ?? defaults.probeTimeoutMinMs} ms, concurrency ${concurrency}${settings.probeConcurrency === undefined ? ' (default)' : ''}; rounds ${f.times.map((t) => fmtS(t)).join(' / ')}; ${f.up} on, ${f.down} off, ${f.wrong} wrong]`,
  );
}

/** One nmap run over `addresses` on `port`: its wall time and the addresses it found open. */
function nmapOnce(addresses: readonly string[], port: number): Promise<{ ms: number; open: Set<string> }> {
  const list = path.join(os.tmpdir(), `rackdeck-bench-nmap-${process.pid}.txt`);
  fs.writeFileSync(list, `${addresses.join('\n')}\n`);
  const args = ['-sT', '-Pn', '-n', '-T5', '--max-retries', '0', '--max-rtt-timeout', '1500ms', '-p', String(port), '-oG', '-', '-iL', list];
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(NMAP, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      const ms = performance.now() - t0;
      fs.rmSync(list, { force: true });
      if (code !== 0) return reject(new Error(`nmap exited ${code}: ${err.trim()}`));
      const open = new Set<string>();
      for (const m of out.matchAll(/^Host: (\S+) .*Ports: (\d+)\/open\//gm)) open.add(m[1] as string);
      resolve({ ms, open });
    });
  });
}

/** Rackdeck and nmap on the same 1000 address:port targets, one port each (the lab's SSH port). */
async function versusNmap(lab: Awaited<ReturnType<typeof startLab>>, holes: readonly string[], silentAt: ReadonlySet<number>, port: number): Promise<void> {
  let k = 0;
  const servers: BenchServer[] = lab.hosts.map((h, i) => ({ id: `h${i}`, name: `h${i}`, address: silentAt.has(i) ? (holes[k++] as string) : h.address, ports: [port] }));
  const silent = new Set(holes);
  const ours = await sweepFigures(servers, {}, silent);
  const oursMs = later(ours);
  console.log(`vs nmap: Rackdeck, ${servers.length} targets on port ${port}: sweeps 2–${ROUNDS} ${fmtS(oursMs)} (first ${fmtS(ours.times[0] ?? NaN)}); ${ours.up} on, ${ours.down} off, ${ours.wrong} wrong ${judge(WRONG, ours.wrong, 'Rackdeck')}`);
  if (!fs.existsSync(NMAP)) {
    console.log(`vs nmap: SKIPPED, nmap is not at ${NMAP} (apt-get install nmap, or BENCH_NMAP=<path>): no comparison this run`);
    return;
  }
  const runs: { ms: number; open: Set<string> }[] = [];
  for (let r = 0; r < ROUNDS - 1; r++) runs.push(await nmapOnce(servers.map((s) => s.address), port));
  const nmapMs = median(runs.map((r) => r.ms));
  const last = runs.at(-1) as { ms: number; open: Set<string> };
  const nmapWrong = servers.filter((s) => last.open.has(s.address) === silent.has(s.address)).length;
  const ratio = oursMs / nmapMs;
  console.log(
    `vs nmap: nmap -sT -Pn -n -T5 --max-retries 0 --max-rtt-timeout 1500ms, same targets: ${fmtS(nmapMs)} (runs ${runs.map((r) => fmtS(r.ms)).join(' / ')}); ${last.open.size} open, ${nmapWrong} wrong` +
      `\nvs nmap: Rackdeck ${fmtS(oursMs)} / nmap ${fmtS(nmapMs)} = ${ratio.toFixed(2)} × nmap ${judge(VS_NMAP, ratio)}`,
  );
}

try {
  const base = labServers();
  // The defaults, and the default before this bench existed (256) for comparison; BENCH_CONCURRENCY adds another.
  const variants: SettingsInput[] = [{}, { probeConcurrency: 256 }];
  if (process.env.BENCH_CONCURRENCY) variants.push({ probeConcurrency: Number(process.env.BENCH_CONCURRENCY) });
  const offAddresses = new Set([...silentAt].map((i) => lab.hosts[i]?.address as string));

  // Refused: the lab hosts at the silent positions are powered off.
  await Promise.all([...silentAt].map((i) => lab.hosts[i]?.powerOff()));
  for (const settings of variants) report('refused (lab hosts off)', settings, await sweepFigures(base, settings, offAddresses));
  await Promise.all([...silentAt].map((i) => lab.hosts[i]?.powerOn()));

  // Silent: the same positions point at black holes instead.
  let k = 0;
  const withHoles = base.map((s, i) => (silentAt.has(i) ? { ...s, address: holes[k++] as string, ports: BLACK_HOLE_PORTS } : s));
  for (const settings of variants) report('silent (black-holed, no answer at all)', settings, await sweepFigures(withHoles, settings, new Set(holes)));

  await versusNmap(lab, holes, silentAt, BLACK_HOLE_PORTS[0] as number);
} finally {
  await blackHoles.stop();
  await lab.stop();
  stop();
}
