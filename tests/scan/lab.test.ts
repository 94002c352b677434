import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../src/lab/lab';
import { createClient, type RackdeckClient } from '../../src/shared/contract';
import { RackdeckError } from '../../src/shared/ipc';
import { createApp, type RackdeckApp } from '../../src/main/root/app';
import { localTransport } from '../../src/main/ipc/local-transport';
import { silentLogger } from '../../src/main/base/logger';
import { runCli } from '../../src/main/faces/cli/main';
import { startPtrServer, type PtrServer } from './ptr-dns';

/**
 * The network scan against the lab (issue 17): every lab host on the lab's subnet is found, with
 * its reverse name (from a DNS server of the test's own on loopback), its MAC (over SSH: loopback
 * hosts have no neighbour entry) and whether Rackdeck knows it; the selected ones are added in
 * one step. 127.0.178.x belongs to this file.
 */
const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-scan-'));
const home = path.join(stateDir, 'home');
let lab: Lab;
let app: RackdeckApp;
let client: RackdeckClient;
let dns: PtrServer;

beforeAll(async () => {
  lab = await startLab({ proxmox: false, hosts: 4, seed: 178, firstAddress: '127.0.178.1', wolPort: 0, stateDir, initialPower: 'on' });
  dns = await startPtrServer('127.0.178.253', new Map(lab.hosts.map((h) => [h.address, `${h.hostname}.lab.test`])));
  app = createApp({ home, face: 'cli', log: silentLogger, scan: { dnsServers: [dns.server] } });
  client = createClient(localTransport(app, 'cli'));
});

afterAll(async () => {
  await app?.stop();
  await dns?.close();
  await lab?.stop();
  fs.rmSync(stateDir, { recursive: true, force: true });
});

async function refusal(p: Promise<unknown>): Promise<RackdeckError> {
  const error = await p.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(RackdeckError);
  return error as RackdeckError;
}

describe('network scan of the lab subnet', () => {
  it('finds every lab host with its name and MAC, and marks the known ones', async () => {
    const [first] = lab.hosts;
    const known = await client.servers.add({ name: 'known-one', address: first!.address, mac: first!.mac, ports: [first!.spec.ports.ssh ?? 22] });
    const result = await client.scan.run({ cidr: '127.0.178.0/24', ssh: { user: 'admin', keyPath: lab.clientKey.privateKeyPath, port: 2222 } });
    expect(result).toMatchObject({ cidr: '127.0.178.0/24', scanned: 254 });
    expect(result.hosts.map((h) => h.address)).toEqual(lab.hosts.map((h) => h.address));
    for (const host of lab.hosts) {
      const found = result.hosts.find((h) => h.address === host.address)!;
      expect(found.openPorts).toContain(2222);
      expect(found.name).toBe(`${host.hostname}.lab.test`);
      if (host === first) expect(found).toMatchObject({ known: { id: known.id, name: 'known-one' }, mac: host.mac.toLowerCase(), macSource: 'inventory' });
      else {
        expect(found.known).toBeUndefined();
        if (host.spec.user === 'admin') expect(found).toMatchObject({ mac: host.mac.toLowerCase(), macSource: 'ssh' });
      }
    }
    expect(dns.queries).toBeGreaterThanOrEqual(lab.hosts.length);
  });

  it('adds the selected hosts in one step, or none when one is refused', async () => {
    const [, second, third] = lab.hosts;
    const before = app.engine.servers().length;
    // The second is fine, the third's address is already known: neither is added.
    const error = await refusal(client.scan.add({ hosts: [{ address: second!.address, name: 'second' }, { address: lab.hosts[0]!.address }] }));
    expect(error.code).toBe('conflict');
    expect(error.message).toMatch(/already has a server at 127\.0\.178\.1; nothing was added/);
    expect(app.engine.servers().length).toBe(before);
    const { added } = await client.scan.add({ hosts: [{ address: second!.address, name: 'second', ports: [2222] }, { address: third!.address, ports: [2222] }] });
    expect(added.map((s) => [s.name, s.address])).toEqual([['second', second!.address], [third!.address, third!.address]]);
    const again = await client.scan.run({ cidr: '127.0.178.0/29', ports: [2222] });
    expect(again.hosts.filter((h) => h.known).map((h) => h.address)).toEqual([lab.hosts[0]!.address, second!.address, third!.address]);
  });

  it('refuses a subnet larger than a /16 and says why; bad input changes nothing', async () => {
    const big = await refusal(client.scan.run({ cidr: '10.0.0.0/8' }));
    expect(big.code).toBe('bad_request');
    expect(big.message).toMatch(/a \/8 holds 16,777,216 addresses; Rackdeck scans at most a \/16/);
    for (const cidr of ['127.0.178.0/33', '127.0.178/24', 'nas.local/24', '127.0.178.300/24', '']) expect((await refusal(client.scan.run({ cidr }))).code).toBe('bad_request');
    expect((await refusal(client.scan.run({ cidr: '127.0.178.0/24', ports: [0] }))).code).toBe('bad_request');
    expect((await refusal(client.scan.add({ hosts: [] }))).code).toBe('bad_request');
    expect((await refusal(client.scan.add({ hosts: [{ address: '127.0.178.9', mac: 'not-a-mac' }] }))).message).toMatch(/not a MAC address/);
    expect((await refusal(client.scan.add({ hosts: [{ address: 'bad address!' }] }))).code).toBe('bad_request');
  });

  it('the CLI: exit 2 for more than a /16, a table and --add new', async () => {
    await app.stop();
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (l: string) => void out.push(l), err: (l: string) => void err.push(l), env: {} };
    const cliHome = path.join(stateDir, 'cli-home');
    expect(await runCli(['scan', '10.0.0.0/15', '--home', cliHome], io)).toBe(2);
    expect(err.join('\n')).toMatch(/a \/15 holds 131,072 addresses/);
    expect(await runCli(['scan', '127.0.178.0/29', '--ports', '22,x', '--home', cliHome], io)).toBe(2);
    out.length = 0;
    expect(await runCli(['scan', '127.0.178.0/29', '--ports', '2222', '--add', 'new', '--home', cliHome], io)).toBe(0);
    expect(out.join('\n')).toMatch(/4 of 6 addresses answered on 2222/);
    expect(out.join('\n')).toMatch(/Added /);
    out.length = 0;
    expect(await runCli(['scan', '127.0.178.0/29', '--ports', '2222', '--json', '--home', cliHome], io)).toBe(0);
    const json = JSON.parse(out.join('\n')) as { hosts: { known?: unknown }[] };
    expect(json.hosts.every((h) => h.known !== undefined)).toBe(true);
  });
});
