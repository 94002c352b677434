/**
 * Shared by the ownership tests: temporary homes, the built CLI run as a user runs it
 * (`node bin/rackdeck.mjs … --home H`), a `serve` in its own process, and the web face's state
 * as a browser tab holds it (snapshot, then patches), over the browser's own bridge.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { createClient, type RackdeckClient } from '../../src/shared/contract';
import type { ServerView } from '../../src/shared/server';
import { createWebTransport, type SocketClass, type WebTransport } from '../../src/renderer/bridge/web-bridge';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const BIN = path.join(ROOT, 'bin', 'rackdeck.mjs');

export function builtCliExists(): boolean {
  return fs.existsSync(path.join(ROOT, 'dist', 'main', 'cli.mjs'));
}

/** Everything a test started, undone in reverse order after it. */
export function undoList() {
  const steps: (() => unknown)[] = [];
  return {
    push: (step: () => unknown) => void steps.push(step),
    async run() {
      for (const step of steps.splice(0).reverse()) await step();
    },
  };
}

export function newHome(undo: ReturnType<typeof undoList>, prefix = 'rackdeck-own-'): string {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  undo.push(() => fs.rmSync(home, { recursive: true, force: true }));
  return home;
}

/** The environment of a spawned rackdeck: no RACKDECK_HOME of the machine's. */
const childEnv = () => ({ ...process.env, RACKDECK_HOME: '' });

export interface Ran {
  code: number | null;
  out: string;
  err: string;
}

/** Runs the built CLI once, to its end; `--home` goes before a `--` (what follows is a remote command's). */
export function rackdeck(home: string, ...args: string[]): Promise<Ran> {
  const end = args.includes('--') ? args.indexOf('--') : args.length;
  const argv = [...args.slice(0, end), '--home', home, ...args.slice(end)];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...argv], { cwd: ROOT, env: childEnv() });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

/** Polls `test` until it returns something truthy; the timeout is a failure, not a measurement. */
export async function waitFor<T>(what: string, test: () => T | Promise<T>, timeoutMs = 30_000): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await test();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface Served {
  child: ChildProcess;
  pid: number;
  url: string;
  token: string;
  output: () => string;
  exited: Promise<number | null>;
  /** SIGTERM, as Ctrl-C would: the engine stops in order and lets the home go. */
  stop(): Promise<number | null>;
}

/** `rackdeck serve --port 0 --home H` in its own process, once it printed where it serves. */
export async function startServe(home: string, undo: ReturnType<typeof undoList>): Promise<Served> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--home', home], { cwd: ROOT, env: childEnv() });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  undo.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    return exited;
  });
  const line = await new Promise<string>((resolve, reject) => {
    const onData = (d: Buffer) => {
      output += d.toString();
      const m = /Rackdeck web face: (\S+)/.exec(output);
      if (m?.[1]) resolve(m[1]);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    void exited.then((code) => reject(new Error(`serve exited (${code}) before serving:\n${output}`)));
  });
  const open = new URL(line);
  const token = /token=([^&]+)/.exec(open.hash)?.[1] ?? '';
  return {
    child,
    pid: child.pid as number,
    url: `${open.origin}/`,
    token,
    output: () => output,
    exited,
    stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/** What a browser tab of the web face holds: the snapshot, then every patch applied in order. */
export interface WebTab {
  client: RackdeckClient;
  servers(): ServerView[];
  close(): void;
}

export async function openWebTab(served: Pick<Served, 'url' | 'token'>, undo: ReturnType<typeof undoList>): Promise<WebTab> {
  const wsUrl = `${served.url.replace(/^http/, 'ws')}api/ws`;
  const transport: WebTransport = createWebTransport(wsUrl, served.token, WebSocket as unknown as SocketClass);
  undo.push(() => transport.close());
  await new Promise<void>((resolve) => {
    const off = transport.on('connection', (s) => {
      if ((s as { state: string }).state === 'open') {
        off();
        resolve();
      }
    });
  });
  const client = createClient(transport);
  const byId = new Map<string, ServerView>();
  let seq = -1;
  const early: { seq: number; upsert: ServerView[]; remove: string[] }[] = [];
  const apply = (p: { seq: number; upsert: ServerView[]; remove: string[] }) => {
    if (p.seq <= seq) return;
    seq = p.seq;
    for (const s of p.upsert) byId.set(s.id, s);
    for (const id of p.remove) byId.delete(id);
  };
  // As renderer/sync.ts does: listen first, then load the snapshot, then apply what is newer.
  client.on('servers.patch', (p) => (seq < 0 ? early.push(p) : apply(p)));
  const snapshot = await client.servers.snapshot({});
  for (const s of snapshot.servers) byId.set(s.id, s);
  seq = snapshot.seq;
  early.splice(0).forEach(apply);
  return { client, servers: () => [...byId.values()], close: () => transport.close() };
}

export function configServers(home: string): { id: string; name: string; notes?: string }[] {
  return (JSON.parse(fs.readFileSync(path.join(home, 'config.json'), 'utf8')) as { servers: { id: string; name: string; notes?: string }[] }).servers;
}
