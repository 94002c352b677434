/**
 * docs/PERFORMANCE.md: what the engine holds in memory watching 1 000 servers, and whether its
 * heap keeps growing as the loops run.
 *
 * The engine is `rackdeck serve` from the build, in a process of its own (the lab, 1 000 hosts
 * that answer, runs in this one). Its figures are read as Prometheus would read them: its own
 * /metrics listener on loopback (`rackdeck_process_heap_used_bytes`) every 15 s, as a Prometheus
 * scrape does, and its resident memory from /proc (VmRSS) every second.
 *
 * A simulated day: the status loop runs every second instead of every 30 s, so each minute of the
 * bench is 60 sweeps of 1 000 servers, half an hour of a default day's sweeping (and its
 * patches, runtime records, history samples). BENCH_MEMORY_MINUTES (default 10: 600 sweeps, 5 h
 * of sweeps) sets the length; 48 covers a whole day's 2 880. Heap figures are noisy between
 * collections, so each end of the run is the lowest heap seen in its first and last minute (what
 * survived a collection), and growth is the last against the first.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLab } from '../src/lab/lab';
import { makeHome, watchdog, type BenchServer } from './support/home';
import { judge, targetFor } from './targets';

const RSS = targetFor('memory.rss');
const GROWTH = targetFor('memory.heap-growth');
const HOSTS = 1000;
const MINUTES = Number(process.env.BENCH_MEMORY_MINUTES ?? 10);
// Resident memory from /proc every second (free to read, so the peak is not missed); the heap
// from /metrics every 15 s, the scrape interval a Prometheus is usually given: the bench should not
// make the engine render 1 000 servers' families more often than its users would.
const RSS_MS = 1000;
const SCRAPE_MS = 15_000;
// BENCH_MEMORY_STATUS_MS: another status period (30000, the default, to see a day at its own pace).
const STATUS_MS = Number(process.env.BENCH_MEMORY_STATUS_MS ?? 1000);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'rackdeck.mjs');
const stop = watchdog((MINUTES * 60 + 240) * 1000, 'memory');

const lab = await startLab({ hosts: HOSTS, proxmox: false, initialPower: 'on', firstAddress: '127.19.0.1', wolPort: 0, seed: 19 });
const servers: BenchServer[] = lab.hosts.map((h, i) => ({ id: `m${i}`, name: `m${i}`, address: h.address, ports: [h.spec.ports.ssh as number] }));
// A port nobody holds: bind one, note it, let it go.
const metricsPort = await new Promise<number>((resolve, reject) => {
  const probe = net.createServer().listen(0, '127.0.0.1', () => {
    const { port } = probe.address() as net.AddressInfo;
    probe.close(() => resolve(port));
  });
  probe.once('error', reject);
});
const home = makeHome({
  servers,
  settings: { statusIntervalMs: STATUS_MS, integrations: { prometheus: { enabled: true, allow: ['127.0.0.1/32'], listener: { host: '127.0.0.1', port: metricsPort } } } },
});
console.log(`${HOSTS} lab hosts (127.19.x.x) watched by rackdeck serve, status every ${STATUS_MS / 1000} s for ${MINUTES} min (${Math.round((MINUTES * 60_000) / STATUS_MS)} sweeps: ${((MINUTES * 60_000 * 30) / STATUS_MS / 3600).toFixed(1)} h of a default day's sweeping)`);

const serve = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--home', home.dir], { env: { ...process.env, RACKDECK_HOME: '' }, stdio: ['ignore', 'pipe', 'inherit'] });

/** Resident memory from the kernel. */
function residentBytes(): number | undefined {
  try {
    const rss = Number(/^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${serve.pid}/status`, 'utf8'))?.[1]) * 1024;
    return Number.isFinite(rss) ? rss : undefined;
  } catch {
    return undefined;
  }
}

/** The heap in use, from the engine's own /metrics, as a Prometheus scrape reads it. */
async function scrapeHeap(): Promise<number | undefined> {
  try {
    const body = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    const heap = Number(/^rackdeck_process_heap_used_bytes (\S+)$/m.exec(body)?.[1]);
    return Number.isFinite(heap) ? heap : undefined;
  } catch {
    return undefined;
  }
}

const mb = (bytes: number) => bytes / 1024 / 1024;
try {
  await new Promise<void>((resolve, reject) => {
    let out = '';
    serve.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (/Rackdeck web face: \S+/.test(out)) resolve();
    });
    serve.once('exit', (code) => reject(new Error(`serve exited (${code}) before serving`)));
  });
  // The listener binds once the engine runs; the first sweeps settle the runtime records.
  let first: number | undefined;
  for (let i = 0; i < 60 && first === undefined; i++) {
    first = await scrapeHeap();
    if (first === undefined) await new Promise((r) => setTimeout(r, 500));
  }
  if (first === undefined) throw new Error(`no figures on 127.0.0.1:${metricsPort}/metrics`);
  const rss: number[] = [];
  const heaps: { at: number; heap: number }[] = [];
  const t0 = performance.now();
  let nextScrape = SCRAPE_MS;
  while (performance.now() - t0 < MINUTES * 60_000) {
    await new Promise((r) => setTimeout(r, RSS_MS));
    const r = residentBytes();
    if (r !== undefined) rss.push(r);
    if (performance.now() - t0 >= nextScrape) {
      nextScrape += SCRAPE_MS;
      const heap = await scrapeHeap();
      if (heap !== undefined) heaps.push({ at: performance.now() - t0, heap });
    }
  }
  // Growth: the lowest heap (what survived a collection) of the first two minutes against the last two.
  const window = (from: number, to: number) => heaps.filter((s) => s.at >= from && s.at < to);
  const early = window(0, 120_000);
  const late = window((MINUTES - 2) * 60_000, Infinity);
  const low = (xs: typeof heaps) => Math.min(...xs.map((s) => s.heap));
  const rssMax = Math.max(...rss);
  const growth = ((low(late) - low(early)) / low(early)) * 100;
  console.log(`engine resident memory, ${HOSTS} servers: ${mb(rssMax).toFixed(0)} MB at most (${mb(rss.at(-1) ?? NaN).toFixed(0)} MB at the end) ${judge(RSS, mb(rssMax))}  [${rss.length} readings of /proc, one a second]`);
  console.log(
    `heap after ${Math.round((MINUTES * 60_000) / STATUS_MS)} sweeps: ${mb(low(early)).toFixed(1)} MB in the first two minutes → ${mb(low(late)).toFixed(1)} MB in the last two, ${growth >= 0 ? '+' : ''}${growth.toFixed(1)} % ${judge(GROWTH, growth)}  [lowest heap of each window; ${heaps.length} scrapes, one per ${SCRAPE_MS / 1000} s]`,
  );
} finally {
  if (serve.exitCode === null) {
    const exited = new Promise((r) => serve.once('exit', r));
    serve.kill('SIGTERM');
    await exited;
  }
  await lab.stop();
  home.remove();
  stop();
}
