/**
 * docs/PERFORMANCE.md: a host that powers on by itself (by hand, a BIOS timer, someone else's
 * Wake-on-LAN) → the patch showing it `on` at a face's WebSocket client, with 1 000 servers
 * watched; and what watching them costs the engine's process in CPU.
 *
 * The engine is `rackdeck serve` from the build, in a process of its own, so its CPU time
 * (utime + stime of /proc/<pid>/stat, what process.cpuUsage() says inside it) counts the engine
 * alone, not the lab. The 1 000 servers: 690 lab hosts that answer, 300 addresses that black-hole
 * every connect (as powered-off machines do on a real LAN, bench/support/black-hole.ts), and 10
 * lab hosts that are off and come up one at a time, at random moments, behind Rackdeck's back.
 * Default settings: a status sweep every 30 s, the silent servers watched every 2 s.
 *
 * CPU is averaged over BENCH_WATCH_SECONDS (default 60, so two status sweeps fall in it; the
 * target is stated for 5 minutes: BENCH_WATCH_SECONDS=300 measures that) after the first sweep
 * settled, with nothing happening but the watching.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLab } from '../src/lab/lab';
import type { SimHost } from '../src/lab/hosts/host';
import { settingsSchema } from '../src/shared/settings';
import { startBlackHoles } from './support/black-hole';
import { fmtMs, makeHome, median, watchdog, type BenchServer } from './support/home';
import { connectFace } from './support/ws-client';
import { judge, targetFor } from './targets';

const DETECT = targetFor('detect');
const CPU = targetFor('detect.cpu');
const ROUNDS = 10;
const ANSWERING = 690;
const SILENT = 300;
const WINDOW_S = Number(process.env.BENCH_WATCH_SECONDS ?? 60);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// BENCH_BIN: another build's bin/rackdeck.mjs (its dist beside it), to measure A/B in one sitting.
const BIN = process.env.BENCH_BIN ?? path.join(ROOT, 'bin', 'rackdeck.mjs');
const TICKS = 100; // USER_HZ on Linux
const stop = watchdog((WINDOW_S + 240) * 1000, 'detect');

// BENCH_DETECT_NET: the lab's 127.N.x.x (the black holes take N+1), so two builds can be measured
// side by side, at the same moment, under the same load (A/B on a shared machine).
const NET = Number(process.env.BENCH_DETECT_NET ?? 15);
const lab = await startLab({ hosts: ANSWERING + ROUNDS, proxmox: false, initialPower: 'on', firstAddress: `127.${NET}.0.1`, wolPort: 0, seed: 15 });
const comers = lab.hosts.slice(ANSWERING) as SimHost[];
await Promise.all(comers.map((h) => h.powerOff()));
const holes = Array.from({ length: SILENT }, (_, i) => `127.${NET + 1}.${Math.floor(i / 250)}.${(i % 250) + 1}`);
const blackHoles = await startBlackHoles(holes, [2222], (WINDOW_S + 200) * 1000);
const servers: BenchServer[] = [
  ...lab.hosts.map((h, i) => ({ id: `h${i}`, name: `h${i}`, address: h.address, ports: [h.spec.ports.ssh as number] })),
  ...holes.map((a, i) => ({ id: `x${i}`, name: `x${i}`, address: a, ports: [2222] })),
];
// BENCH_WATCH_SILENT_MS: another watch period, to see what the watch itself costs (3600000: none).
const settings = process.env.BENCH_WATCH_SILENT_MS ? { watchSilentMs: Number(process.env.BENCH_WATCH_SILENT_MS) } : {};
const home = makeHome({ servers, settings });
const defaults = settingsSchema.parse(settings);
console.log(
  `${servers.length} servers: ${ANSWERING} answering lab hosts (127.${NET}.x.x), ${blackHoles.silent} black holes (127.${NET + 1}.x.x), ${ROUNDS} off that come up by themselves; status every ${defaults.statusIntervalMs / 1000} s, silent ones watched every ${defaults.watchSilentMs / 1000} s`,
);

// BENCH_SERVE_NODE_ARGS: Node options for the engine's process, to profile it under this load
// (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"; the profile is written when it exits).
const nodeArgs = (process.env.BENCH_SERVE_NODE_ARGS ?? '').split(' ').filter(Boolean);
const serve = spawn(process.execPath, [...nodeArgs, BIN, 'serve', '--port', '0', '--home', home.dir], { env: { ...process.env, RACKDECK_HOME: '' }, stdio: ['ignore', 'pipe', 'inherit'] });
/** utime and stime of the engine, ms: JavaScript and libuv on one side, the kernel's socket work on the other. */
const cpuMs = () => {
  const fields = fs.readFileSync(`/proc/${serve.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return { user: (Number(fields[11]) * 1000) / TICKS, system: (Number(fields[12]) * 1000) / TICKS };
};
try {
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    serve.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Rackdeck web face: (\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    serve.once('exit', (code) => reject(new Error(`serve exited (${code}) before serving`)));
  });
  const token = new URL(url).hash.replace(/^#token=/, '');
  const client = await connectFace(`${url.split('#')[0]?.replace(/\/?$/, '/')}`, token);
  try {
    // The first sweep, with no round trip known, gives every silent host the full timeout.
    await new Promise((r) => setTimeout(r, defaults.probeTimeoutMs * 3 + 2000));
    const cpu0 = cpuMs();
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, WINDOW_S * 1000));
    const cpu1 = cpuMs();
    const elapsed = performance.now() - t0;
    const user = ((cpu1.user - cpu0.user) / elapsed) * 100;
    const system = ((cpu1.system - cpu0.system) / elapsed) * 100;
    const percent = user + system;
    console.log(`engine CPU watching ${servers.length} servers, ${WINDOW_S} s: ${percent.toFixed(2)} % of one core ${judge(CPU, percent)}  [serve's utime ${user.toFixed(2)} % + stime ${system.toFixed(2)} %; target stated for 5 min]`);

    const times: number[] = [];
    for (const [i, host] of comers.entries()) {
      const id = `h${ANSWERING + i}`;
      // A random moment in the watch's period, as in life.
      await new Promise((r) => setTimeout(r, Math.random() * defaults.watchSilentMs));
      let upAt = 0;
      const off = host.onPowerChange((p) => {
        if (p === 'on') upAt = performance.now();
      });
      const shown = client.patchWhere((s) => s.id === id && s.power === 'on', 20_000);
      await host.powerOn();
      times.push((await shown) - upAt);
      off();
    }
    const worst = Math.max(...times);
    console.log(`host comes up by itself → UI shows on, ${servers.length} servers watched: median ${fmtMs(median(times))}, max ${fmtMs(worst)} over ${ROUNDS} ${judge(DETECT, worst)}  [${times.map((t) => fmtMs(t)).join(', ')}]`);
  } finally {
    client.close();
  }
} finally {
  if (serve.exitCode === null) {
    const exited = new Promise((r) => serve.once('exit', r));
    serve.kill('SIGTERM');
    await exited;
  }
  await blackHoles.stop();
  await lab.stop();
  home.remove();
  stop();
}
