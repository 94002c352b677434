import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import type { Lab } from '../../src/lab/lab';
import type { SimHost } from '../../src/lab/hosts/host';
import { HistoryStore } from '../../src/main/store/history';
import { HISTORY_RANGES, type MetricSample } from '../../src/shared/metrics';
import { Cleanup, launchBrowser, newAppPage, screenshot, screenshotThemes, seedLabHome, startServe, startTestLab, type AppPage } from './harness';

// Issue 6's end-to-end test, against `rackdeck serve` and the lab: a host's charts draw every
// range (the past month seeded into its history files before serve starts, the present polled
// over SSH once a second), a Proxmox guest's charts fill from rrddata, a host driven to a busy CPU
// raises a threshold alert that reaches the page as a toast and a browser notification, and the
// alerts, rules, channels and action log are all in the UI. 127.0.66.x is this file's block.

const suite = new Cleanup();
let browser: Browser;
let lab: Lab;
let app: AppPage;
let page: Page;
let ids: Record<string, string>;
let chartHost: SimHost;
let busyHost: SimHost;

const MIN = 60_000;
const DAY = 86_400_000;

/** A month of plausible figures (a daily rhythm, a slowly filling disk) with two days missing: the host was off. */
async function seedHistory(home: string, host: SimHost, id: string): Promise<void> {
  const name = host.hostname;
  const store = await HistoryStore.open({ dir: path.join(home, 'history') });
  const now = Date.now();
  let rnd = 7;
  const noise = () => ((rnd = (rnd * 16807) % 2147483647) / 2147483647 - 0.5) * 2;
  // The host's own totals, so the seeded month and the live minutes read as one history.
  const memTotal = Math.floor(host.spec.memTotalKb) * 1024;
  const root = host.spec.mounts.find((m) => m.target === '/')!;
  for (let t = now - 30 * DAY; t < now - 2 * MIN; t += t > now - DAY ? MIN : 10 * MIN) {
    if (t > now - 12 * DAY && t < now - 10 * DAY) continue;
    const hour = new Date(t).getHours() + new Date(t).getMinutes() / 60;
    const day = Math.sin(((hour - 9) / 24) * 2 * Math.PI);
    const s: MetricSample = {
      t,
      cpu: Math.max(1, Math.min(100, 18 + 14 * day + 6 * noise() + (Math.abs(noise()) > 0.97 ? 45 : 0))),
      memUsed: memTotal * (0.42 + 0.08 * day + 0.02 * noise()),
      memTotal,
      diskUsed: root.sizeBytes * (root.usedFraction - 0.06 + (0.06 * (t - (now - 30 * DAY))) / (30 * DAY)),
      diskTotal: root.sizeBytes,
      netIn: Math.max(0, 2.2e6 * (1 + day) + 4e5 * noise()),
      netOut: Math.max(0, 6e5 * (1 + day) + 1e5 * noise()),
      load1: Math.max(0, 0.6 + 0.5 * day),
    };
    store.record(id, s);
  }
  store.recordPower(id, now - 12 * DAY, 'off');
  store.recordPower(id, now - 10 * DAY, 'on');
  const log = (ago: number, action: string, face: 'web' | 'cli' | 'engine' | 'desktop', result: 'started' | 'ok' | 'failed' | 'timeout', detail?: string) =>
    store.logAction({ at: now - ago, kind: 'power', action, serverId: id, serverName: name, face, result, ...(detail ? { detail } : {}) });
  log(12 * DAY, 'shutdown', 'web', 'started');
  log(12 * DAY - 40_000, 'shutdown', 'web', 'ok');
  log(10 * DAY, 'wake', 'engine', 'started', 'to reach the desired state');
  log(10 * DAY - 95_000, 'wake', 'engine', 'ok');
  log(3 * 3_600_000, 'reboot', 'cli', 'started');
  log(3 * 3_600_000 - 300_000, 'reboot', 'cli', 'timeout', 'it did not come back within 5 min');
  await store.close();
}

beforeAll(async () => {
  browser = await launchBrowser(suite);
  lab = await startTestLab(suite, { firstAddress: '127.0.66.1', seed: 66, hosts: 5, proxmoxNodes: 1, initialPower: 'on', proxmox: { guests: 4 } });
  const linux = lab.hosts.filter((h) => h.spec.os !== 'windows' && h.spec.role !== 'proxmox');
  chartHost = linux.find((h) => h.spec.ports.http) ?? (linux[0] as SimHost);
  busyHost = linux.find((h) => h !== chartHost) as SimHost;
  const seeded = await seedLabHome(suite, lab, { settings: { monitoring: { metricsIntervalMs: 1_000, flushIntervalMs: 2_000 } } });
  ids = seeded.ids;
  await seedHistory(seeded.home, chartHost, ids[chartHost.hostname]!);
  const served = await startServe(suite, seeded.home);
  app = await newAppPage(browser, suite);
  page = app.page;
  // The admin is in another window: what the web face then hands to the browser's notifications is recorded.
  await page.addInitScript(() => {
    const shown: Array<{ title: string; body?: string }> = [];
    (window as unknown as { __shown: typeof shown }).__shown = shown;
    class FakeNotification {
      static permission = 'granted';
      static requestPermission = () => Promise.resolve('granted');
      onclick: (() => void) | null = null;
      constructor(title: string, options?: { body?: string }) {
        shown.push({ title, ...(options?.body ? { body: options.body } : {}) });
      }
      close() {}
    }
    Object.defineProperty(window, 'Notification', { value: FakeNotification, configurable: true });
    document.hasFocus = () => false;
  });
  await page.goto(served.openUrl);
  await page.getByTestId('server-grid').waitFor();
}, 90_000);
afterAll(() => suite.run());

const card = (host: string): Locator => page.locator(`[data-testid="server-card"][data-server-id="${ids[host]}"]`);

async function openDrawer(name: string, id: string): Promise<Locator> {
  const drawer = page.getByTestId('server-detail');
  const shown = (await drawer.count()) > 0 ? await drawer.getAttribute('data-server-id') : null;
  if (shown !== id) {
    await page.locator(`[data-testid="server-card"][data-server-id="${id}"]`).getByRole('button', { name, exact: true }).click();
  }
  await page.locator(`[data-testid="server-detail"][data-server-id="${id}"]`).waitFor();
  return drawer;
}

async function showRange(panel: Locator, range: string): Promise<number> {
  await panel.getByTestId(`metrics-range-${range}`).click();
  await panel.locator(`xpath=self::*[@data-range="${range}" and not(@data-loading)]`).waitFor();
  return Number(await panel.getAttribute('data-points'));
}

describe('monitoring in the browser', () => {
  it('cards show a live CPU figure and a sparkline from the SSH polls', async () => {
    const metrics = card(chartHost.hostname).getByTestId('card-metrics');
    await metrics.waitFor({ timeout: 30_000 });
    await expect.poll(() => card(chartHost.hostname).getByTestId('card-cpu').textContent(), { timeout: 15_000 }).toMatch(/^\d+%$/);
    await expect.poll(() => card(chartHost.hostname).locator('canvas.sparkline').count(), { timeout: 15_000 }).toBe(1);
    // The other hosts' first figures too, for the picture.
    await card(busyHost.hostname).getByTestId('card-metrics').waitFor({ timeout: 15_000 });
    await card(chartHost.hostname).scrollIntoViewIfNeeded();
    await screenshotThemes(page, 'metrics-cards');
  });

  it('a host\'s charts show data for every range, with the gap where it was off', async () => {
    const drawer = await openDrawer(chartHost.hostname, ids[chartHost.hostname]!);
    const panel = drawer.getByTestId('metrics-panel');
    for (const range of HISTORY_RANGES) {
      const points = await showRange(panel, range);
      expect(points, range).toBeGreaterThan(range === 'year' ? 20 : range === 'month' ? 150 : 20);
      // Every chart has a canvas that drew.
      expect(await panel.locator('canvas').count()).toBe(4);
    }
    await showRange(panel, 'month');
    await drawer.locator('[data-section="metrics"]').scrollIntoViewIfNeeded();
    await screenshotThemes(page, 'metrics-drawer-month');
    await showRange(panel, 'day');
    await screenshotThemes(page, 'metrics-drawer-day');

    await drawer.getByTestId('metrics-expand').click();
    const modal = page.getByTestId('metrics-modal');
    const big = modal.getByTestId('metrics-panel');
    await big.locator('xpath=self::*[not(@data-loading)]').waitFor();
    await showRange(big, 'week');
    // A tooltip with its units, over the CPU chart.
    const box = (await big.locator('[data-kind="cpu"] canvas').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.62, box.y + box.height / 2);
    await page.mouse.move(box.x + box.width * 0.63, box.y + box.height / 2);
    await screenshotThemes(page, 'metrics-expanded-week');
    await page.keyboard.press('Escape');
    await modal.waitFor({ state: 'detached' });
  });

  it('services, uptime and energy in the drawer', async () => {
    const drawer = await openDrawer(chartHost.hostname, ids[chartHost.hostname]!);
    const services = drawer.getByTestId('services');
    await services.getByTestId('service').first().waitFor({ timeout: 15_000 });
    await expect.poll(() => services.locator('[data-testid="service"][data-port="8080"] [data-testid="service-link"]').getAttribute('href')).toBe(`http://${chartHost.address}:8080/`);
    const uptime = drawer.getByTestId('uptime');
    await uptime.waitFor();
    await expect(uptime.textContent()).resolves.toMatch(/Last 30 days.*% on/);
    await expect(uptime.textContent()).resolves.toMatch(/saved/);
    await drawer.locator('[data-section="services"]').scrollIntoViewIfNeeded();
    await screenshotThemes(page, 'metrics-services-uptime');
  });

  it('a Proxmox guest\'s chart fills from Proxmox\'s own history the first time it is opened', async () => {
    const guestCard = page.locator('[data-testid="server-card"][data-power="on"]').filter({ has: page.locator('.card-kind[title="Virtual machine"], .card-kind[title="Container"]') }).first();
    const id = (await guestCard.getAttribute('data-server-id'))!;
    const name = (await guestCard.locator('.card-open').textContent())!;
    const drawer = await openDrawer(name, id);
    const panel = drawer.getByTestId('metrics-panel');
    expect(await showRange(panel, 'week')).toBeGreaterThan(100);
    await drawer.locator('[data-section="metrics"]').scrollIntoViewIfNeeded();
    await screenshotThemes(page, 'metrics-guest-week');
  });

  it('a busy host raises the CPU alert: a toast, a browser notification, the top bar count; the rule is edited in the UI', async () => {
    await page.getByTestId('close-detail').click();
    await page.getByTestId('open-alerts').click();
    const panel = page.getByTestId('alerts-panel');
    await panel.getByTestId('alerts-tab-rules').click();
    const rule = panel.locator('[data-testid="rule"][data-rule-id="cpu-high"]');
    await rule.waitFor();
    // A threshold out of range is refused inline, before anything is sent.
    await rule.getByTestId('rule-threshold').fill('150');
    await expect(rule.getByTestId('rule-error-threshold').textContent()).resolves.toBe('a threshold is 1–100 %');
    await panel.getByTestId('rules-save').click();
    await panel.getByText('Fix the fields marked in red first.').waitFor();
    await rule.getByTestId('rule-threshold').fill('70');
    await rule.getByLabel('Duration, minutes').fill('0');
    await rule.getByLabel('Hysteresis, points').fill('20');
    await screenshotThemes(page, 'alerts-rules');
    await panel.getByTestId('rules-save').click();
    await panel.getByText('Rules saved. They apply from the next reading.').waitFor();
    await panel.getByTestId('alerts-tab-channels').click();
    await panel.getByTestId('channel-webhook').waitFor();
    await screenshotThemes(page, 'alerts-channels');
    await page.keyboard.press('Escape');

    busyHost.spec.cpuLoad = 0.97;
    const toast = page.getByTestId('toast').filter({ hasText: new RegExp(`^${busyHost.hostname}: CPU at \\d+ %`) });
    await toast.first().waitFor({ timeout: 30_000 });
    await expect.poll(() => page.evaluate(() => (window as unknown as { __shown: Array<{ title: string }> }).__shown.map((n) => n.title))).toContainEqual(expect.stringMatching(new RegExp(`^${busyHost.hostname}: CPU at \\d+ %$`)));
    await expect.poll(() => page.getByTestId('alert-count').textContent()).toBe('1');
    await screenshot(page, 'alerts-toast-light');

    await page.getByTestId('open-alerts').click();
    const row = page.getByTestId('alerts-panel').locator('[data-testid="alert-row"][data-kind="cpu"]');
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('has been at or above 70 %');
    await screenshotThemes(page, 'alerts-list');
    // One notification for this alert, however many readings stayed high.
    const shown = await page.evaluate(() => (window as unknown as { __shown: Array<{ title: string }> }).__shown.map((n) => n.title));
    expect(shown.filter((t) => t.startsWith(`${busyHost.hostname}: CPU`))).toHaveLength(1);
    await row.getByTestId('alert-ack').click();
    await page.getByTestId('alerts-panel').locator('[data-testid="alert-row"][data-state="acknowledged"]').waitFor();
    await expect.poll(() => page.getByTestId('alert-count').count()).toBe(0);
    await page.keyboard.press('Escape');
    busyHost.spec.cpuLoad = 0.1;
  });

  it('the action log lists, filters and exports', async () => {
    await page.getByTestId('open-log').click();
    const log = page.getByTestId('action-log');
    await log.getByRole('combobox', { name: 'Since' }).selectOption({ label: 'Last 30 days' });
    await expect.poll(() => log.getByTestId('log-row').count()).toBe(6);
    await expect(log.getByTestId('log-row').first().textContent()).resolves.toMatch(/reboot.*CLI.*timeout/);
    await screenshotThemes(page, 'action-log');
    await log.getByRole('combobox', { name: 'Kind' }).selectOption('task');
    await expect.poll(() => log.getByTestId('log-row').count()).toBe(0);
    await log.getByRole('combobox', { name: 'Kind' }).selectOption('');
    const download = page.waitForEvent('download');
    await log.getByTestId('log-export').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^rackdeck-actions-.*\.csv$/);
    await page.keyboard.press('Escape');
    expect(app.errors).toEqual([]);
  });
});
