import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Lab } from '../../src/lab/lab';
import type { RackdeckApp } from '../../src/main/root/app';
import { Cleanup, launchBrowser, makeHome, newAppPage, serveInProcess, startTestLab, FAST_SETTINGS } from './harness';

// Issue 17's end-to-end test: the Scan dialog finds the lab's hosts on their subnet and adds the
// selected one in one step; then the card of a server with a wake-on-demand listener counts the
// connection it carries. 127.0.179.x is this file's lab block.

const TIMEOUT = 20_000;
const suite = new Cleanup();
let browser: Browser;
let lab: Lab;
let page: Page;
let engine: RackdeckApp;

beforeAll(async () => {
  browser = await launchBrowser(suite);
  lab = await startTestLab(suite, { firstAddress: '127.0.179.1', seed: 179, hosts: 3, proxmox: false, initialPower: 'on' });
  const served = await serveInProcess(suite, makeHome(suite, { settings: FAST_SETTINGS }));
  engine = served.app;
  page = (await newAppPage(browser, suite)).page;
  await page.goto(served.openUrl);
  await page.getByTestId('open-scan').waitFor({ timeout: TIMEOUT });
}, 60_000);
afterAll(() => suite.run());

describe('network scan and wake on demand in the UI', () => {
  it('scans the lab subnet, refuses more than a /16, and adds the selected host', async () => {
    await page.getByTestId('open-scan').click();
    const dialog = page.getByTestId('scan-dialog');
    await dialog.getByTestId('scan-cidr').fill('127.0.0.0/8');
    await dialog.getByTestId('scan-run').click();
    await expect(dialog.getByTestId('scan-error').textContent({ timeout: TIMEOUT })).resolves.toMatch(/Rackdeck scans at most a \/16/);

    await dialog.getByTestId('scan-cidr').fill('127.0.179.0/29');
    await dialog.getByTestId('scan-ports').fill('2222');
    await dialog.getByTestId('scan-run').click();
    await dialog.getByTestId('scan-summary').waitFor({ timeout: TIMEOUT });
    expect(await dialog.getByTestId('scan-host').count()).toBe(lab.hosts.length);
    // Keep only the first host selected.
    const boxes = dialog.getByTestId('scan-select');
    for (let i = 1; i < lab.hosts.length; i++) await boxes.nth(i).uncheck();
    await dialog.getByTestId('scan-add').click();
    await dialog.getByTestId('scan-added').waitFor({ timeout: TIMEOUT });
    const first = lab.hosts[0]!;
    await dialog.locator(`[data-testid="scan-host"][data-address="${first.address}"][data-known="true"]`).waitFor({ timeout: TIMEOUT });
    await dialog.press('Escape');
    const server = engine.engine.servers().find((s) => s.address === first.address)!;
    expect(server).toBeDefined();
    expect(engine.engine.servers()).toHaveLength(1);
    await page.locator(`[data-testid="server-card"][data-server-id="${server.id}"]`).waitFor({ timeout: TIMEOUT });
  });

  it('shows the live count of proxied connections on the card', async () => {
    const server = engine.engine.servers()[0]!;
    const listener = await engine.wakeProxy.add({ server: server.id, listenPort: 0, targetPort: 2222 });
    const card = page.locator(`[data-testid="server-card"][data-server-id="${server.id}"]`);
    await card.locator('[data-testid="proxy-count"][data-active="0"]').waitFor({ timeout: TIMEOUT });
    const socket = net.connect({ host: '127.0.0.1', port: listener.boundPort! });
    await new Promise<void>((resolve) => socket.once('data', () => resolve()));
    await card.locator('[data-testid="proxy-count"][data-active="1"]').waitFor({ timeout: TIMEOUT });
    socket.destroy();
    await card.locator('[data-testid="proxy-count"][data-active="0"]').waitFor({ timeout: TIMEOUT });
  });

  it('adds and removes a listener in the drawer of the server', async () => {
    const server = engine.engine.servers()[0]!;
    const before = (await engine.wakeProxy.list()).length;
    await page.locator(`[data-testid="server-card"][data-server-id="${server.id}"] .card-open`).click();
    const section = page.getByTestId('wake-proxy-section');
    await section.getByTestId('wake-proxy-add').click();
    await section.getByTestId('wake-proxy-port').fill('99999');
    await section.getByTestId('wake-proxy-target').fill('2222');
    await section.getByTestId('wake-proxy-save').click();
    await expect(section.getByTestId('wake-proxy-error').textContent({ timeout: TIMEOUT })).resolves.toMatch(/listen port/);
    expect(await engine.wakeProxy.list()).toHaveLength(before);
    await section.getByTestId('wake-proxy-port').fill('0');
    await section.getByTestId('wake-proxy-save').click();
    await section.getByTestId('wake-proxy-form').waitFor({ state: 'detached', timeout: TIMEOUT });
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="wake-proxy-listener"]').length === n, before + 1, { timeout: TIMEOUT });
    expect(await engine.wakeProxy.list()).toHaveLength(before + 1);
    await section.getByTestId('wake-proxy-remove').last().click();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="wake-proxy-listener"]').length === n, before, { timeout: TIMEOUT });
    expect(await engine.wakeProxy.list()).toHaveLength(before);
  });
});
