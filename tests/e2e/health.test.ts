import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import type { Lab } from '../../src/lab/lab';
import type { GuestInfo } from '../../src/lab/proxmox';
import type { AgentsService } from '../../src/main/health/service';
import { Cleanup, closedPort, launchBrowser, newAppPage, screenshotThemes, seedLabHome, serveInProcess, startTestLab, type AppPage } from './harness';

// Issue 8's end-to-end test: a lab VM's agent (this test, posting reports as the agent script
// does) stops, its card goes `down`, the watchdog resets the VM through the lab's Proxmox, and it
// is `healthy` again once reports resume. The engine runs in this process (the same code as
// `rackdeck serve`) so the test can ask the watchdog to look now: its 30 s loop has no setting,
// and waiting for it is what a fake clock is for. The stale timeout is 2.5 s, set below the
// channel's one-minute floor through the service itself. 127.0.93.x is this file's lab block.

const STATE_TIMEOUT = 20_000;
const STALE_MS = 2_500;

const suite = new Cleanup();
let browser: Browser;
let lab: Lab;
let app: AppPage;
let page: Page;
let svc: AgentsService;
let vm: GuestInfo;
let vmId: string;
let key: string;
let receiver: string;

const card = (): Locator => page.locator(`[data-testid="server-card"][data-server-id="${vmId}"]`);
const waitHealth = (state: string) => card().locator(`[data-testid="health-badge"][data-health="${state}"]`).waitFor({ timeout: STATE_TIMEOUT });

/** One heartbeat, as rackdeck-agent sends it. */
async function report(): Promise<void> {
  const res = await fetch(`${receiver}/api/health/report`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      hostname: vm.name,
      vmid: vm.vmid,
      node: vm.node,
      cpuPercent: 12.5,
      memUsedBytes: 2.5 * 2 ** 30,
      memTotalBytes: 8 * 2 ** 30,
      diskUsedBytes: 11 * 2 ** 30,
      diskTotalBytes: 40 * 2 ** 30,
      uptimeSeconds: 86_400 + 3_600,
      timestamp: Math.floor(Date.now() / 1000),
      agent: 'rackdeck-agent/e2e',
    }),
  });
  expect(res.status, await res.text()).toBe(200);
}

beforeAll(async () => {
  browser = await launchBrowser(suite);
  lab = await startTestLab(suite, { firstAddress: '127.0.93.1', seed: 93, hosts: 3, proxmoxNodes: 1, initialPower: 'on', proxmox: { guests: 6 } });
  vm = lab.proxmox!.vmids().map((v) => lab.proxmox!.guest(v).info()).find((g) => g.type === 'qemu' && g.status === 'running' && g.qmpstatus === 'running' && !g.template)!;
  expect(vm).toBeDefined();
  vmId = `pve-${lab.proxmox!.clusterName.toLowerCase()}-qemu-${vm.vmid}`;
  const port = await closedPort();
  const seeded = await seedLabHome(suite, lab, {
    after: async (client, seedApp) => {
      await client.agents.enableReceiver({ host: '127.0.0.1', port });
      key = (await client.agents.createKey({ serverId: vmId, label: 'e2e' })).key;
      seedApp.agents.setWatch(vmId, { staleMs: STALE_MS });
    },
  });
  receiver = `http://127.0.0.1:${port}`;
  const served = await serveInProcess(suite, seeded.home);
  svc = served.app.agents;
  app = await newAppPage(browser, suite);
  page = app.page;
  await page.goto(served.openUrl);
  await card().waitFor();
}, 60_000);
afterAll(() => suite.run());

describe('a VM health agent and the watchdog', () => {
  it('shows the agent healthy, then down when it stops, then resets the VM and sees it recover', async () => {
    await page.locator(`[data-testid="server-card"][data-server-id="${vmId}"][data-power="on"]`).waitFor({ timeout: STATE_TIMEOUT });
    // No heartbeat yet: the card says nothing about health.
    expect(await card().getByTestId('health-badge').count()).toBe(0);
    await report();
    await waitHealth('healthy');
    await card().getByRole('button', { name: vm.name, exact: true }).click();
    const drawer = page.getByTestId('server-detail');
    const panel = drawer.getByTestId('agent-panel');
    await panel.getByTestId('agent-figures').waitFor();
    await expect(panel.getByTestId('agent-figures').textContent()).resolves.toContain('2.5 GiB of 8.0 GiB');
    await panel.scrollIntoViewIfNeeded();
    await screenshotThemes(page, 'health-panel-healthy');

    // The agent stops. Past the stale timeout, the watchdog's next look calls it down; auto-reset
    // is off (the default), so nothing is reset yet. The watchdog looks until it does, rather
    // than the test sleeping past the timeout.
    await expect
      .poll(async () => {
        await svc.monitor.tick();
        return svc.health(vmId).state;
      }, { timeout: STATE_TIMEOUT })
      .toBe('down');
    await waitHealth('down');
    await page.getByTestId('toast').filter({ hasText: `${vm.name} stopped reporting` }).waitFor();
    expect(lab.proxmox!.requestLog().some((r) => r.path.endsWith('/status/reset'))).toBe(false);
    await card().scrollIntoViewIfNeeded();
    await screenshotThemes(page, 'health-down');

    // The admin turns auto-reset on; the watchdog's next look resets the VM through Proxmox.
    lab.proxmox!.resetRequestLog();
    await panel.getByTestId('auto-reset').click();
    await panel.getByText('Auto-reset is on.').waitFor();
    await expect(panel.getByTestId('auto-reset').isChecked()).resolves.toBe(true);
    await expect.poll(() => svc.health(vmId).options.autoReset).toBe(true);
    await svc.monitor.tick();
    await waitHealth('reset_pending');
    await svc.monitor.idle();
    const row = panel.getByTestId('reset-row').first();
    await row.waitFor();
    await expect.poll(() => row.textContent(), { timeout: STATE_TIMEOUT }).toMatch(/watchdog\s*OK/);
    expect(lab.proxmox!.requestLog().filter((r) => r.method === 'POST' && r.path === `/nodes/${vm.node}/qemu/${vm.vmid}/status/reset`)).toHaveLength(1);
    await panel.scrollIntoViewIfNeeded();
    await card().scrollIntoViewIfNeeded();
    await screenshotThemes(page, 'health-reset-pending');

    // Reports resume after the reboot: healthy again.
    await report();
    await waitHealth('healthy');
    await page.getByTestId('toast').filter({ hasText: `${vm.name} is reporting again` }).waitFor();
    await card().scrollIntoViewIfNeeded();
    await screenshotThemes(page, 'health-recovered');
    expect(app.errors).toEqual([]);
  });
});
