/**
 * Addresses that never answer a TCP connect, on loopback, without root or a firewall: a
 * listener with a one-slot backlog whose accept queue is filled and never drained. Linux then
 * drops every further SYN, so a probe waits for its whole timeout, as it does for a powered-off
 * machine on a real LAN (where nothing sends back a RST). A closed port on loopback would answer
 * with a RST at once, and a powered-off lab host refuses at once too, so neither shows the cost
 * of silence.
 *
 * The listeners live in a worker thread that blocks in Atomics.wait right after listening: its
 * event loop never runs again, so libuv never accepts. Released by `stop()`, or after `maxMs`.
 */
import net from 'node:net';
import { Worker } from 'node:worker_threads';

const WORKER = `
const net = require('node:net');
const { parentPort, workerData } = require('node:worker_threads');
const servers = [];
let pending = workerData.endpoints.length;
const failed = [];
for (const [host, port] of workerData.endpoints) {
  const s = net.createServer();
  s.on('error', (e) => { failed.push(host + ':' + port + ' ' + e.message); done(); });
  s.listen({ host, port, backlog: 1 }, done);
  servers.push(s);
}
function done() {
  if (--pending > 0) return;
  if (failed.length) { parentPort.postMessage({ failed }); return; }
  parentPort.postMessage({ ready: true });
  Atomics.wait(workerData.flag, 0, 0, workerData.maxMs);
  for (const s of servers) s.close();
  parentPort.postMessage({ released: true });
}
`;

export interface BlackHoles {
  /** Connections that filled the accept queues (held open until stop). */
  readonly held: number;
  /** Endpoints verified to leave a connect unanswered. */
  readonly silent: number;
  stop(): Promise<void>;
}

function connectWithin(host: string, port: number, ms: number): Promise<net.Socket | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(undefined);
    }, ms);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('error', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(undefined);
    });
  });
}

export async function startBlackHoles(addresses: readonly string[], ports: readonly number[], maxMs = 300_000): Promise<BlackHoles> {
  for (const a of addresses) if (!a.startsWith('127.')) throw new Error(`${a} is not loopback`);
  const endpoints = addresses.flatMap((a) => ports.map((p) => [a, p] as const));
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(WORKER, { eval: true, workerData: { endpoints, flag, maxMs } });
  const first = await new Promise<{ ready?: boolean; failed?: string[] }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  if (first.failed) {
    await worker.terminate();
    throw new Error(`black-hole listeners failed: ${first.failed.slice(0, 3).join('; ')}`);
  }
  // Fill each accept queue: connect until a connect is left unanswered (2 with a backlog of 1).
  const held: net.Socket[] = [];
  let silent = 0;
  await Promise.all(
    endpoints.map(async ([host, port]) => {
      for (let i = 0; i < 6; i++) {
        const s = await connectWithin(host, port, 150);
        if (!s) {
          silent += 1;
          return;
        }
        held.push(s);
      }
    }),
  );
  const released = new Promise<void>((resolve) => worker.once('message', () => resolve()));
  return {
    held: held.length,
    silent,
    async stop() {
      Atomics.store(flag, 0, 1);
      Atomics.notify(flag, 0);
      await Promise.race([released, new Promise((r) => setTimeout(r, 2000))]);
      for (const s of held) s.destroy();
      await worker.terminate();
    },
  };
}
