import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/**
 * The real servers the integration tests run against, from Debian's packages (.ci/run installs
 * them): each is started on loopback, on a free port, in a temporary folder, and stopped by the
 * test. A test whose binary is absent is skipped, and says so.
 */
export const BIN = {
  prometheus: '/usr/bin/prometheus',
  promtool: '/usr/bin/promtool',
  mosquitto: '/usr/sbin/mosquitto',
  victoria: '/usr/bin/victoria-metrics',
} as const;

export function have(bin: string): boolean {
  try {
    fs.accessSync(bin, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** True when every binary is there; otherwise prints which are missing and how to get them. */
export function haveAll(what: string, ...bins: string[]): boolean {
  const missing = bins.filter((b) => !have(b));
  if (missing.length) console.warn(`SKIPPED ${what}: ${missing.join(', ')} not installed (apt-get install prometheus mosquitto victoria-metrics; .ci/run does)`);
  return missing.length === 0;
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Polls until `check` returns something truthy (it may throw meanwhile); fails with `what` and the last error. */
export async function waitUntil<T>(check: () => Promise<T | undefined | false | null> | T | undefined | false | null, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${last instanceof Error ? last.message : String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface Running {
  port: number;
  url: string;
  /** What it printed, for a failure's message. */
  output(): string;
  stop(): Promise<void>;
}

function run(bin: string, args: string[], cwd: string): { child: ChildProcess; output(): string; stop(): Promise<void> } {
  const child = spawn(bin, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (d: Buffer) => {
    out = (out + d.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    output: () => out,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

async function answers(url: string): Promise<boolean> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
  return res.ok;
}

export async function startVictoria(dir: string, port?: number): Promise<Running> {
  const p = port ?? (await freePort());
  fs.mkdirSync(dir, { recursive: true });
  // latencyOffset 0: a point is visible at once (by default the last 30 s are held back).
  const proc = run(BIN.victoria, [`-httpListenAddr=127.0.0.1:${p}`, `-storageDataPath=${dir}`, '-search.latencyOffset=0s', '-retentionPeriod=100y', '-loggerLevel=ERROR'], dir);
  const url = `http://127.0.0.1:${p}`;
  await waitUntil(() => answers(`${url}/health`), `victoria-metrics on ${p} (${proc.output().slice(-500)})`);
  return { port: p, url, output: proc.output, stop: proc.stop };
}

export async function startPrometheus(dir: string, config: string, extra: string[] = []): Promise<Running> {
  const p = await freePort();
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'prometheus.yml');
  fs.writeFileSync(file, config);
  const proc = run(BIN.prometheus, [`--config.file=${file}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${p}`, '--log.level=warn', ...extra], dir);
  const url = `http://127.0.0.1:${p}`;
  await waitUntil(() => answers(`${url}/-/ready`), `prometheus on ${p}`, 60_000).catch((e: unknown) => {
    throw new Error(`${e instanceof Error ? e.message : String(e)}\n${proc.output().slice(-2000)}`);
  });
  return { port: p, url, output: proc.output, stop: proc.stop };
}

export async function startMosquitto(dir: string): Promise<Running> {
  const p = await freePort();
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'mosquitto.conf');
  fs.writeFileSync(file, `listener ${p} 127.0.0.1\nallow_anonymous true\npersistence false\n`);
  const proc = run(BIN.mosquitto, ['-c', file], dir);
  await waitUntil(
    () =>
      new Promise<boolean>((resolve) => {
        const s = net.connect(p, '127.0.0.1', () => {
          s.end();
          resolve(true);
        });
        s.on('error', () => resolve(false));
      }),
    `mosquitto on ${p} (${proc.output()})`,
  );
  return { port: p, url: `mqtt://127.0.0.1:${p}`, output: proc.output, stop: proc.stop };
}

/** A PromQL instant query's vector as label sets with their value. */
export async function promQuery(base: string, query: string, time?: number): Promise<Array<{ metric: Record<string, string>; value: number }>> {
  const params = new URLSearchParams({ query, ...(time !== undefined ? { time: String(time / 1000) } : {}) });
  const res = await fetch(`${base}/api/v1/query?${params}`);
  const body = (await res.json()) as { status: string; error?: string; data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
  if (body.status !== 'success') throw new Error(body.error ?? `query failed: ${res.status}`);
  return body.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
}
