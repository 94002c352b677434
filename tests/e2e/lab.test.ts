import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { LabDescription } from '../../src/lab/description';
import { Cleanup, launchBrowser, newAppPage, runUntilLine, screenshotThemes, startDemo } from './harness';

// Issue 3's end-to-end test: `rackdeck demo --web` spawned for real shows the lab's servers with
// their states. The demo's lab is seeded, so `rackdeck lab` with the same seed and size, run just
// before it, prints the very describe() the demo's lab starts from; the guests' states are read
// from the demo lab's own Proxmox API. The demo keeps the default addresses (127.0.1.x, WoL on
// 40009, Proxmox on 8006): no other test file uses that block.

const ARGS = ['--hosts', '8', '--guests', '12', '--seed', '1'];

const suite = new Cleanup();
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser(suite);
});
afterAll(() => suite.run());

interface CardState {
  id: string;
  name: string;
  kind: string;
  power: string;
}

async function cards(page: Page): Promise<CardState[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('[data-testid="server-card"]')].map((c) => ({
      id: c.dataset.serverId ?? '',
      name: c.querySelector('.card-open')?.textContent ?? '',
      kind: c.querySelector('.card-kind')?.getAttribute('title') ?? '',
      power: c.dataset.power ?? '',
    })),
  );
}

/** GET on the lab's Proxmox API with its admin token, pinned to the certificate Rackdeck pinned. */
function pveGet<T>(url: string, token: string, fingerprint: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const req = https.get(
      url,
      {
        headers: { Authorization: `PVEAPIToken=${token}` },
        rejectUnauthorized: false,
        checkServerIdentity: (_host, cert) => (cert.fingerprint256 === fingerprint ? undefined : new Error(`unexpected certificate ${cert.fingerprint256}`)),
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => (body += d));
        res.on('end', () => (res.statusCode === 200 ? resolve((JSON.parse(body) as { data: T }).data) : reject(new Error(`${res.statusCode} ${body}`))));
      },
    );
    req.on('error', reject);
  });
}

describe('rackdeck demo', () => {
  it('shows the simulated homelab: every host, node and guest with the state the lab is in', async () => {
    const c = new Cleanup();
    try {
      // The lab the demo is about to start, described by `rackdeck lab` with the same seed.
      const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-e2e-labcli-'));
      c.add('remove the lab state', () => fs.rmSync(stateDir, { recursive: true, force: true }));
      const lab = await runUntilLine(c, ['lab', ...ARGS, '--state-dir', stateDir], (l) => l.startsWith('{'));
      const described = JSON.parse(lab.line) as LabDescription;
      await lab.stop();
      expect(described.hosts).toHaveLength(8);
      expect(described.proxmox?.guests).toBe(12);

      const home = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-e2e-demo-'));
      c.add('remove the demo home', () => fs.rmSync(home, { recursive: true, force: true }));
      const demo = await startDemo(c, home, ARGS);
      const { page, errors } = await newAppPage(browser, c);
      await page.goto(demo.openUrl);
      await page.getByTestId('server-grid').waitFor();
      const total = described.hosts.length + described.proxmox!.nodes.length + described.proxmox!.guests;
      // Every host probed and every guest discovered: nothing is left unknown.
      await page.waitForFunction(
        (n) => {
          const all = [...document.querySelectorAll<HTMLElement>('[data-testid="server-card"]')];
          return all.length === n && all.every((el) => el.dataset.power !== 'unknown');
        },
        total,
        { timeout: 30_000 },
      );
      const shown = await cards(page);

      // Hosts: on where the lab's host is on; a suspended or powered-off host answers nothing, and
      // Rackdeck, which never saw it go to sleep, calls it off (a probe cannot tell the two apart).
      for (const host of described.hosts) {
        const card = shown.find((s) => s.name === host.hostname && s.kind === 'Physical');
        expect(card, host.hostname).toBeDefined();
        expect([host.hostname, card!.power]).toEqual([host.hostname, host.power === 'on' ? 'on' : 'off']);
      }
      // Nodes: each Proxmox node of the lab, on, under its physical host.
      for (const node of described.proxmox!.nodes) {
        // Its physical host holds the plain name; discovery names the node after its cluster too.
        const card = shown.find((s) => s.kind === 'Proxmox node' && (s.name === node.name || s.name === `${described.proxmox!.clusterName}-${node.name}`));
        expect(card, node.name).toBeDefined();
        expect(card!.power).toBe(node.online ? 'on' : 'off');
        const host = shown.find((s) => s.name === node.name && s.kind === 'Physical')!;
        expect(await page.locator(`[data-testid="server-group"][data-parent-id="${host.id}"] [data-server-id="${card!.id}"]`).count()).toBe(1);
      }
      // Guests: as the demo lab's own API reports them right now.
      const config = JSON.parse(fs.readFileSync(path.join(home, 'config.json'), 'utf8')) as { clusters: { url: string; fingerprint: string }[] };
      const cluster = config.clusters[0]!;
      const token = `${described.proxmox!.credentials.adminToken.tokenId}=${described.proxmox!.credentials.adminToken.secret}`;
      const resources = await pveGet<{ type: string; vmid?: number; name?: string; status?: string }[]>(`${cluster.url}/api2/json/cluster/resources?type=vm`, token, cluster.fingerprint);
      const guests = shown.filter((s) => s.kind === 'VM' || s.kind === 'Container');
      expect(guests).toHaveLength(12);
      const seen = new Set<string>();
      for (const r of resources) {
        const card = guests.find((g) => g.name === r.name);
        expect(card, r.name).toBeDefined();
        const current = await pveGet<{ status: string; qmpstatus?: string; lock?: string }>(`${cluster.url}/api2/json/nodes/${(r as { node?: string }).node}/${r.type}/${r.vmid}/status/current`, token, cluster.fingerprint);
        // A hibernated VM is stopped with its RAM on disk (lock `suspended`): Rackdeck shows it suspended, to be resumed.
        const expected = current.status === 'running' ? (current.qmpstatus === 'paused' ? 'paused' : 'on') : current.status === 'stopped' ? (current.lock === 'suspended' ? 'suspended' : 'stopped') : current.status;
        expect([r.name, card!.power]).toEqual([r.name, expected]);
        seen.add(card!.power);
      }
      // The demo's lab shows every kind of guest state, a hibernated VM included.
      expect([...seen].sort()).toEqual(['on', 'paused', 'stopped', 'suspended']);
      // Guests show the addresses Proxmox knows, not port chips they were never probed on.
      const guestCard = page.locator(`[data-testid="server-card"][data-server-id="${guests.find((g) => g.power === 'on')!.id}"]`);
      expect(await guestCard.locator('.port:not(.px-ip)').count()).toBe(0);
      await expect(page.getByTestId('state-counts').textContent()).resolves.toMatch(/\d+ on/);
      await screenshotThemes(page, 'lab-demo');
      await screenshotThemes(page, 'lab-demo-full', { fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await c.run();
    }
  }, 120_000);
});
