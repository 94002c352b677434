import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { Cleanup, closedPort, launchBrowser, listen, makeHome, newAppPage, screenshot, screenshotThemes, startServe, type SeedServer } from './harness';

// A full lab of 60 servers written into config.json before `serve` starts: standalone hosts and
// three Proxmox nodes with their guests. Every address is 127.0.0.1; a few ports listen (those
// servers are on), the rest are closed (off).

const suite = new Cleanup();
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser(suite);
});
afterAll(() => suite.run());

const STANDALONE = [
  'router', 'switch-core', 'nas-01', 'nas-02', 'pbs', 'pi-hole', 'home-assistant', 'unifi', 'backup-01', 'media',
  'mqtt', 'printer', 'ups-monitor', 'jump-box', 'k3s-01', 'k3s-02', 'k3s-03', 'camera-nvr', 'workstation', 'laptop',
  'gaming-pc', 'edge-vpn', 'octopi', 'weather',
];
const GUESTS: Record<string, string[]> = {
  'pve-01': ['gitea', 'nextcloud', 'vaultwarden', 'grafana', 'prometheus', 'loki', 'traefik', 'authentik', 'postgres', 'redis', 'minio', 'jellyfin', 'immich', 'paperless'],
  'pve-02': ['win11', 'ubuntu-dev', 'debian-test', 'docker-01', 'docker-02', 'opnsense', 'wireguard', 'adguard', 'syncthing', 'nginx-proxy', 'ci-runner'],
  'pve-03': ['archive', 'lab-1', 'lab-2', 'lab-3', 'lab-4', 'lab-5', 'lab-6', 'sandbox'],
};

function lab(open: number[], closed: number[]): { servers: SeedServer[]; on: Set<string> } {
  const servers: SeedServer[] = [];
  const on = new Set<string>();
  let i = 0;
  const add = (name: string, kind: SeedServer['kind'], up: boolean, extra: Partial<SeedServer> = {}) => {
    i += 1;
    const ports = up ? [closed[i % closed.length]!, open[i % open.length]!] : [closed[i % closed.length]!];
    if (up) on.add(name);
    servers.push({ id: name, name, kind, address: '127.0.0.1', ports, ...extra });
  };
  STANDALONE.forEach((name, n) =>
    add(name, 'physical', n % 5 !== 3, n === 2 ? { mac: '3c:ec:ef:12:34:56', notes: 'Synology DS920+, top shelf.' } : {}),
  );
  for (const [node, guests] of Object.entries(GUESTS)) {
    const nodeUp = node !== 'pve-03';
    add(node, 'proxmox-node', nodeUp, { mac: '58:47:ca:00:00:0' + node.slice(-1) });
    guests.forEach((g, n) => add(g, n % 3 === 2 ? 'lxc' : 'vm', nodeUp && n % 4 !== 3, { parentId: node }));
  }
  return { servers, on };
}

describe('a full grid', () => {
  it('renders 60 servers grouped under their hosts, counts them and filters by state', async () => {
    const c = new Cleanup();
    try {
      const open = [await listen(c), await listen(c), await listen(c)].map((l) => l.port);
      const closed = [await closedPort(), await closedPort()];
      const { servers, on } = lab(open, closed);
      expect(servers).toHaveLength(60);
      const home = makeHome(c, { servers });
      const served = await startServe(c, home);
      const { page, errors } = await newAppPage(browser, c);
      await page.goto(served.openUrl);

      await page.getByTestId('server-grid').waitFor();
      expect(await page.getByTestId('server-card').count()).toBe(60);
      // Every server probed once: no card is still unknown.
      await page.waitForFunction(`document.querySelectorAll('[data-testid="server-card"][data-power="unknown"]').length === 0`, undefined, { timeout: 15_000 });
      expect(await page.locator('[data-testid="server-card"][data-power="on"]').count()).toBe(on.size);

      // Guests sit inside their host's group.
      expect(await page.getByTestId('server-group').count()).toBe(3);
      const pve1 = page.locator('[data-testid="server-group"][data-parent-id="pve-01"]');
      expect(await pve1.getByTestId('server-card').count()).toBe(1 + GUESTS['pve-01']!.length);
      expect(await pve1.locator('[data-server-id="jellyfin"]').count()).toBe(1);

      const counts = page.getByTestId('state-counts');
      await expect(counts.textContent()).resolves.toContain(`${on.size} on`);
      await expect(counts.textContent()).resolves.toContain(`${60 - on.size} down`);

      await screenshotThemes(page, 'grid');
      await screenshotThemes(page, 'grid-full', { fullPage: true });

      await page.locator('[data-testid="server-card"][data-server-id="pve-01"]').getByRole('button', { name: 'pve-01' }).click();
      await page.getByTestId('server-detail').waitFor();
      await screenshotThemes(page, 'grid-detail');
      await page.getByTestId('close-detail').click();

      // At a phone's width every button of the top bar is on the screen (Add server was pushed off it).
      await page.setViewportSize({ width: 390, height: 844 });
      const offScreen = await page.evaluate(`[...document.querySelectorAll('.topbar button')].filter((b) => { const r = b.getBoundingClientRect(); return r.width > 0 && (r.left < 0 || r.right > window.innerWidth); }).length`);
      expect(offScreen).toBe(0);
      await screenshotThemes(page, 'grid-phone');
      await page.setViewportSize({ width: 1366, height: 860 });

      // The "down" count filters the grid to the servers that are down, and back.
      await counts.locator('[data-bucket="down"]').click();
      await page.locator('[data-testid="server-grid"][data-filtered]').waitFor();
      expect(await page.getByTestId('server-card').count()).toBe(60 - on.size);
      expect(await page.locator('[data-testid="server-card"][data-power="on"]').count()).toBe(0);
      await screenshot(page, 'grid-filter-down-light');
      await counts.locator('[data-bucket="down"]').click();
      await page.locator('[data-testid="server-grid"]:not([data-filtered])').waitFor();
      expect(await page.getByTestId('server-card').count()).toBe(60);

      // Text filter: by name.
      await page.getByTestId('filter').fill('lab-');
      await page.locator('[data-testid="server-grid"][data-filtered]').waitFor();
      expect(await page.getByTestId('server-card').count()).toBe(6);
      expect(errors).toEqual([]);
    } finally {
      await c.run();
    }
  });
});
