import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../src/lab/lab';
import type { SimHost } from '../../src/lab/hosts/host';
import { createClient, type RackdeckClient } from '../../src/shared/contract';
import type { WakeProxyCounts } from '../../src/shared/contract/wake-proxy';
import { RackdeckError } from '../../src/shared/ipc';
import { createApp, type RackdeckApp } from '../../src/main/root/app';
import { localTransport } from '../../src/main/ipc/local-transport';
import { silentLogger, type Logger } from '../../src/main/base/logger';

/**
 * Wake on demand against the lab (issue 17): a connection to the listener of a suspended host
 * wakes it through power control (a magic packet to the lab's listener), is held until its SSH
 * port opens, and then receives the host's SSH banner. 127.0.177.x belongs to this file.
 */
const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-wake-proxy-'));
const home = path.join(stateDir, 'home');
let lab: Lab;
let app: RackdeckApp;
let client: RackdeckClient;
const warnings: string[] = [];
const log: Logger = { ...silentLogger, warn: (message: string) => void warnings.push(message) };

beforeAll(async () => {
  lab = await startLab({ proxmox: false, hosts: 3, seed: 177, firstAddress: '127.0.177.1', wolPort: 0, stateDir, bootDelayMs: 300, suspendDelayMs: 100, initialPower: 'on' });
  app = createApp({ home, face: 'cli', log, power: { fastPollMs: 100 } });
  app.start();
  client = createClient(localTransport(app, 'cli'));
});

afterAll(async () => {
  await app?.stop();
  await lab?.stop();
  fs.rmSync(stateDir, { recursive: true, force: true });
});

const linux = (i: number) => lab.hosts.filter((h) => h.spec.os !== 'windows')[i] as SimHost;
const sshPort = (host: SimHost): number => host.spec.ports.ssh ?? 22;

async function addLabHost(host: SimHost): Promise<string> {
  const nic = host.spec.nics[0];
  if (nic) host.machine.setWakeOn(nic.name, 'g');
  const view = await client.servers.add({
    name: host.hostname,
    address: host.address,
    mac: host.mac,
    ports: [sshPort(host)],
    // Never a real broadcast: only the lab's listener on loopback.
    wol: { directedBroadcast: false, limitedBroadcast: false, extraTargets: ['127.0.0.1'], ports: [lab.wol.port] },
    powerControl: { timeouts: { wakeMs: 20_000 } },
  });
  return view.id;
}

/** Connects and resolves with the first line the far side sends (or rejects when it closes first). */
function firstLine(port: number, host = '127.0.0.1', send?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    let text = '';
    if (send !== undefined) socket.write(send);
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      const end = text.indexOf('\n');
      if (end >= 0) {
        socket.destroy();
        resolve(text.slice(0, end).trim());
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`closed before a line; got "${text}"`)));
  });
}

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('wake on demand against the lab', () => {
  it('a connection to the listener of a suspended host wakes it and receives its SSH banner', async () => {
    const host = linux(0);
    const id = await addLabHost(host);
    const view = await client.wakeProxy.add({ server: id, listenPort: 0, targetPort: sshPort(host), timeoutMs: 30_000 });
    expect(view).toMatchObject({ serverId: id, listenHost: '127.0.0.1', listening: true, active: 0, waiting: 0 });
    const port = view.boundPort as number;

    await host.suspend();
    await app.engine.refresh(id);
    expect(['off', 'suspended']).toContain(app.engine.view(id)?.power);
    const counts: WakeProxyCounts[] = [];
    const off = client.on('wakeProxy.counts', (c) => void counts.push(c));
    const woke = lab.wol.counters.woke;

    // The SSH client speaks first: its bytes are held and reach the server once spliced.
    const banner = await firstLine(port, '127.0.0.1', 'SSH-2.0-rackdeck-test\r\n');
    expect(banner).toMatch(/^SSH-2\.0-/);
    expect(host.power()).toBe('on');
    expect(lab.wol.counters.woke).toBe(woke + 1);
    // Held (waiting) first, then spliced (active): the cards saw both.
    expect(counts.some((c) => c.servers[id]?.waiting === 1)).toBe(true);
    expect(counts.some((c) => c.servers[id]?.active === 1)).toBe(true);
    await until(async () => (await client.wakeProxy.counts({})).servers[id]?.active === 0, 'the connection to be counted closed');
    const [listed] = await client.wakeProxy.list({ server: id });
    expect(listed).toMatchObject({ total: 1, active: 0, waiting: 0 });
    off();
  });

  it('splices at once while the server is on', async () => {
    const host = linux(0);
    const id = app.engine.find(host.hostname)!.id;
    await app.engine.refresh(id);
    expect(app.engine.view(id)?.power).toBe('on');
    const [listener] = await client.wakeProxy.list({ server: id });
    const woke = lab.wol.counters.received;
    expect(await firstLine(listener!.boundPort!)).toMatch(/^SSH-2\.0-/);
    expect(lab.wol.counters.received).toBe(woke);
  });

  it('closes a held connection with a logged reason when the service does not open in time', async () => {
    const host = linux(1);
    const id = await addLabHost(host);
    // Port 1 never opens on a lab host: the wake succeeds, the service never answers.
    const view = await client.wakeProxy.add({ server: id, listenPort: 0, targetPort: 1, timeoutMs: 1_000 });
    await expect(firstLine(view.boundPort!)).rejects.toThrow(/closed before a line/);
    await until(async () => (await client.wakeProxy.list({ server: id }))[0]?.lastFailure !== undefined, 'the failure to be recorded');
    const [listed] = await client.wakeProxy.list({ server: id });
    expect(listed?.lastFailure?.reason).toMatch(/did not open within 1 s/);
    expect(warnings.some((w) => w.includes('did not open within 1 s'))).toBe(true);
    expect(listed).toMatchObject({ waiting: 0, active: 0 });
  });

  it('refuses bad input and changes nothing', async () => {
    const before = await client.wakeProxy.list({});
    const host = linux(0);
    const id = app.engine.find(host.hostname)!.id;
    const bad = async (input: Parameters<RackdeckClient['wakeProxy']['add']>[0], code: string, message: RegExp) => {
      const error = await client.wakeProxy.add(input).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(RackdeckError);
      expect((error as RackdeckError).code).toBe(code);
      expect((error as RackdeckError).message).toMatch(message);
    };
    await bad({ server: 'nope', listenPort: 0, targetPort: 22 }, 'not_found', /Server "nope" was not found/);
    await bad({ server: id, listenPort: 70000, targetPort: 22 }, 'bad_request', /listen port/);
    await bad({ server: id, listenPort: 0, targetPort: 0 }, 'bad_request', /port is a whole number from 1 to 65535/);
    await bad({ server: id, listenHost: 'nas.local', listenPort: 0, targetPort: 22 }, 'bad_request', /not a name/);
    await bad({ server: id, listenPort: 0, targetPort: 22, timeoutMs: 10 }, 'bad_request', /at least 1 s/);
    const taken = await client.wakeProxy.add({ server: id, listenPort: 0, targetPort: 80 });
    await bad({ server: id, listenPort: taken.boundPort!, targetPort: 22 }, 'conflict', /already in use|already forwards/);
    await client.wakeProxy.remove({ id: taken.id });
    const error = await client.wakeProxy.remove({ id: 'nope' }).then(() => undefined, (e: unknown) => e);
    expect((error as RackdeckError).code).toBe('not_found');
    expect(await client.wakeProxy.list({})).toEqual(before);
  });
});

describe('wake on demand follows the inventory', () => {
  it('closes the listener of a removed server and keeps its entry; binds it again when a server of that id is back', async () => {
    const host = linux(1);
    const id = app.engine.find(host.hostname)!.id;
    const [listener] = (await client.wakeProxy.list({ server: id })).filter((v) => v.targetPort === 1);
    expect(listener?.listening).toBe(true);
    await client.servers.remove({ id });
    await until(async () => (await client.wakeProxy.list({})).find((v) => v.id === listener!.id)?.listening === false, 'the listener to close');
    expect((await client.wakeProxy.list({})).find((v) => v.id === listener!.id)?.error).toMatch(/no longer in the inventory/);
    await expect(firstLine(listener!.boundPort!)).rejects.toThrow();
    await addLabHost(host);
    await until(async () => (await client.wakeProxy.list({})).find((v) => v.id === listener!.id)?.listening === true, 'the listener to bind again');
  });
});
