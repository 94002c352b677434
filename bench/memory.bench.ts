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
 * of sweeps) sets the length; 48 covers a whole day's 2 880. Growth is judged on the heap that
 * survives a full collection, forced through the engine's inspector (on loopback) every 15 s:
 * the lowest of the two minutes after the warm-up against the lowest of the last two. The scraped
 * heap, garbage included, is printed beside it (it moved by ±10 % between runs of the same code).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
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
// The live heap (after a full collection) every 15 s. Even that moves by ~4 MB with the moment of
// the sweep it lands in (a thousand probes in flight are live), so each end is the lowest of two
// minutes: from WARM_MS (the first minutes fill bounded structures: each host's round-trip
// figures, the service checks' first pass 15 s in, compiled code) and the last two.
const LIVE_MS = 15_000;
const WARM_MS = 120_000;
// BENCH_MEMORY_STATUS_MS: another status period (30000, the default, to see a day at its own pace).
const STATUS_MS = Number(process.env.BENCH_MEMORY_STATUS_MS ?? 1000);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// BENCH_BIN: another build's `rackdeck.mjs` (a copy of the baseline's bin next to its dist), for A/B runs.
const BIN = process.env.BENCH_BIN ?? path.join(ROOT, 'bin', 'rackdeck.mjs');
// BENCH_SERVE_NODE_ARGS: Node options for the engine's process (e.g. "--heapsnapshot-signal=SIGUSR2
// --diagnostic-dir=/tmp/snaps"); BENCH_MEMORY_SNAPSHOT_AT: minutes at which to send it SIGUSR2 ("2,10").
const nodeArgs = (process.env.BENCH_SERVE_NODE_ARGS ?? '').split(' ').filter(Boolean);
const snapshotAt = (process.env.BENCH_MEMORY_SNAPSHOT_AT ?? '').split(',').filter(Boolean).map((m) => Number(m) * 60_000);
const stop = watchdog((MINUTES * 60 + 240) * 1000, 'memory');

// BENCH_MEMORY_ADDRESS: another first lab address, to run two builds side by side (A/B).
const FIRST_ADDRESS = process.env.BENCH_MEMORY_ADDRESS ?? '127.19.0.1';
const lab = await startLab({ hosts: HOSTS, proxmox: false, initialPower: 'on', firstAddress: FIRST_ADDRESS, wolPort: 0, seed: 19 });
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
console.log(`${HOSTS} lab hosts (from ${FIRST_ADDRESS}) watched by rackdeck serve, status every ${STATUS_MS / 1000} s for ${MINUTES} min (${Math.round((MINUTES * 60_000) / STATUS_MS)} sweeps: ${((MINUTES * 60_000 * 30) / STATUS_MS / 3600).toFixed(1)} h of a default day's sweeping)`);

// The inspector, on loopback, only to read the heap after a full collection (see liveHeap).
const serve = spawn(process.execPath, ['--inspect=127.0.0.1:0', ...nodeArgs, BIN, 'serve', '--port', '0', '--home', home.dir], { env: { ...process.env, RACKDECK_HOME: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
const inspectorUrl = new Promise<string>((resolve) => {
  let err = '';
  serve.stderr.on('data', (d: Buffer) => {
    const text = d.toString();
    err += text;
    const url = /Debugger listening on (ws:\/\/\S+)/.exec(err)?.[1];
    if (url) resolve(url);
    if (!/Debugger listening|For help, see|Debugger attached/.test(text)) process.stderr.write(text);
  });
});

/**
 * The heap that is really held: a full collection through the inspector, then V8's used size.
 * What /metrics reads between collections also counts the garbage of the last sweeps (the young
 * generation alone holds up to 16 MB of it, at a heap of ~27 MB that survives), so its lowest
 * reading of a window moved by ±10 % from run to run with no leak; this one is exact.
 */
async function liveHeap(ws: WebSocket): Promise<number> {
  let id = 0;
  const call = (method: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const mine = ++id;
      const onMessage = (data: WebSocket.RawData) => {
        const reply = JSON.parse(data.toString()) as { id?: number; result?: Record<string, unknown>; error?: { message: string } };
        if (reply.id !== mine) return;
        ws.off('message', onMessage);
        if (reply.error) reject(new Error(reply.error.message));
        else resolve(reply.result ?? {});
      };
      ws.on('message', onMessage);
      ws.send(JSON.stringify({ id: mine, method }));
    });
  await call('HeapProfiler.collectGarbage');
  return Number((await call('Runtime.getHeapUsage')).usedSize);
}

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
  const inspector = new WebSocket(await inspectorUrl);
  await new Promise((resolve, reject) => inspector.once('open', resolve).once('error', reject));
  const live: { at: number; heap: number }[] = [];
  let nextLive = LIVE_MS;
  const rss: number[] = [];
  const heaps: { at: number; heap: number }[] = [];
  const t0 = performance.now();
  let nextScrape = SCRAPE_MS;
  while (performance.now() - t0 < MINUTES * 60_000) {
    await new Promise((r) => setTimeout(r, RSS_MS));
    const elapsed = performance.now() - t0;
    while (snapshotAt.length > 0 && (snapshotAt[0] as number) <= elapsed) {
      snapshotAt.shift();
      console.log(`heap snapshot requested at ${(elapsed / 60_000).toFixed(1)} min`);
      serve.kill('SIGUSR2');
    }
    const r = residentBytes();
    if (r !== undefined) rss.push(r);
    if (performance.now() - t0 >= nextLive) {
      nextLive += LIVE_MS;
      live.push({ at: performance.now() - t0, heap: await liveHeap(inspector) });
      if (process.env.BENCH_MEMORY_TRACE) console.log(`  ${((performance.now() - t0) / 60_000).toFixed(2)} min live heap ${mb(live.at(-1)?.heap ?? NaN).toFixed(2)} MB`);
    }
    if (performance.now() - t0 >= nextScrape) {
      nextScrape += SCRAPE_MS;
      const heap = await scrapeHeap();
      if (heap !== undefined) heaps.push({ at: performance.now() - t0, heap });
      if (process.env.BENCH_MEMORY_TRACE) console.log(`  ${((performance.now() - t0) / 60_000).toFixed(2)} min heap ${mb(heap ?? NaN).toFixed(1)} MB rss ${mb(r ?? NaN).toFixed(0)} MB`);
    }
  }
  live.push({ at: performance.now() - t0, heap: await liveHeap(inspector) });
  inspector.close();
  // What /metrics read: the lowest heap of the first two minutes against the last two (reported, noisy).
  const window = (from: number, to: number) => heaps.filter((s) => s.at >= from && s.at < to);
  const early = window(0, 120_000);
  const late = window((MINUTES - 2) * 60_000, Infinity);
  const low = (xs: typeof heaps) => Math.min(...xs.map((s) => s.heap));
  const rssMax = Math.max(...rss);
  const scraped = ((low(late) - low(early)) / low(early)) * 100;
  // Judged: the lowest live heap of the last two minutes against the lowest of the two after the warm-up.
  const liveLow = (from: number, to: number) => Math.min(...live.filter((s) => s.at >= from && s.at < to).map((s) => s.heap));
  const warm = { heap: liveLow(WARM_MS, WARM_MS + 120_000) };
  const end = { heap: liveLow((MINUTES - 2) * 60_000, Infinity) };
  const growth = ((end.heap - warm.heap) / warm.heap) * 100;
  const sign = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(1)} %`;
  console.log(`engine resident memory, ${HOSTS} servers: ${mb(rssMax).toFixed(0)} MB at most (${mb(rss.at(-1) ?? NaN).toFixed(0)} MB at the end) ${judge(RSS, mb(rssMax))}  [${rss.length} readings of /proc, one a second]`);
  console.log(`live heap (after a full collection, every ${LIVE_MS / 1000} s): ${live.map((s) => mb(s.heap).toFixed(1)).join(' ')} MB`);
  console.log(
    `heap after ${Math.round((MINUTES * 60_000) / STATUS_MS)} sweeps: ${mb(warm.heap).toFixed(2)} MB live (lowest of minutes ${WARM_MS / 60_000}–${WARM_MS / 60_000 + 2}) → ${mb(end.heap).toFixed(2)} MB (lowest of the last two), ${sign(growth)} ${judge(GROWTH, growth)}  ` +
      `[/metrics' lowest heap of the first and last two minutes, garbage included: ${mb(low(early)).toFixed(1)} → ${mb(low(late)).toFixed(1)} MB, ${sign(scraped)}; ${heaps.length} scrapes, one per ${SCRAPE_MS / 1000} s]`,
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
