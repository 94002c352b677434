import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { Cleanup, closedPort, launchBrowser, listen, makeHome, newAppPage, savedServers, screenshotThemes, startServe, type SeedServer } from './harness';

// The frame's required end-to-end spec: the real `rackdeck serve`, the built renderer, Debian's
// Chromium, and a TCP listener on loopback standing in for a host that comes and goes.

const STATE_TIMEOUT = 15_000;

let browser: Browser;
const suite = new Cleanup();
beforeAll(async () => {
  browser = await launchBrowser(suite);
});
afterAll(() => suite.run());

function perTest(): Cleanup {
  const c = new Cleanup();
  onTestFinished(() => c.run());
  return c;
}

async function openServed(c: Cleanup, seed: { servers?: SeedServer[] } = {}, hash?: string) {
  const home = makeHome(c, seed);
  const served = await startServe(c, home);
  const app = await newAppPage(browser, c);
  await app.page.goto(hash === undefined ? served.openUrl : `${served.origin}${hash}`);
  return { home, served, ...app };
}

const card = (page: Page, id: string) => page.locator(`[data-testid="server-card"][data-server-id="${id}"]`);

async function waitPower(page: Page, id: string, power: string) {
  await page.locator(`[data-testid="server-card"][data-server-id="${id}"][data-power="${power}"]`).waitFor({ timeout: STATE_TIMEOUT });
}

describe('frame: the renderer over the web face', () => {
  it('adds a server, follows it on and off, and removes it through the detail panel', async () => {
    const c = perTest();
    const host = await listen(c);
    const { page, home, errors } = await openServed(c);

    await page.getByTestId('empty-state').waitFor();
    expect(await page.getByTestId('server-card').count()).toBe(0);
    // The browser has not been asked about notifications yet: the top bar offers it.
    await page.getByTestId('enable-notifications').waitFor();
    await expect(page.getByTestId('empty-state').textContent()).resolves.toContain('rackdeck demo');
    await screenshotThemes(page, 'empty');
    // The theme follows the OS through CSS variables.
    const background = () => page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await background();
    await page.emulateMedia({ colorScheme: 'light' });
    expect(dark).not.toBe(await background());

    await page.getByTestId('add-server').click();
    const form = page.getByTestId('server-form');
    await form.waitFor();
    await form.getByLabel('Name', { exact: true }).fill('web-01');
    await form.getByLabel('Address', { exact: true }).fill('127.0.0.1');
    await form.getByLabel('Ports', { exact: true }).fill(String(host.port));
    await form.getByLabel('Notes', { exact: true }).fill('Reverse proxy in the hall cupboard.');
    await screenshotThemes(page, 'form-add');
    await page.getByTestId('submit-server').click();
    await form.waitFor({ state: 'detached' });

    await waitPower(page, 'web-01', 'on');
    await expect(card(page, 'web-01').locator('.port[data-state="open"]').textContent()).resolves.toContain(String(host.port));
    expect(savedServers(home).map((s) => s.name)).toEqual(['web-01']);
    await screenshotThemes(page, 'on');

    await host.close();
    await waitPower(page, 'web-01', 'off');
    await expect(card(page, 'web-01').textContent()).resolves.toMatch(/Last seen/);
    // The engine's notice arrives as a toast.
    await page.getByTestId('toast').filter({ hasText: 'web-01 went down' }).waitFor();
    await screenshotThemes(page, 'off');

    await card(page, 'web-01').getByRole('button', { name: 'web-01' }).click();
    const detail = page.getByTestId('server-detail');
    await detail.waitFor();
    await expect(detail.textContent()).resolves.toContain('Reverse proxy in the hall cupboard.');
    await expect(detail.getByTestId('detail-ports').textContent()).resolves.toContain('closed');
    await screenshotThemes(page, 'detail');

    await detail.getByTestId('remove-server').click();
    const confirm = page.getByTestId('confirm-dialog');
    await confirm.waitFor();
    await screenshotThemes(page, 'confirm-remove');
    await confirm.getByTestId('confirm').click();
    await card(page, 'web-01').waitFor({ state: 'detached', timeout: STATE_TIMEOUT });
    await detail.waitFor({ state: 'detached' });
    await page.getByTestId('empty-state').waitFor();
    expect(savedServers(home)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('shows inline errors for an invalid address and for a name the engine refuses, and adds nothing', async () => {
    const c = perTest();
    const port = await closedPort();
    const { page, home } = await openServed(c, { servers: [{ id: 'nas', name: 'nas', address: '127.0.0.1', ports: [port] }] });
    await card(page, 'nas').waitFor();

    await page.getByTestId('add-server').click();
    const form = page.getByTestId('server-form');
    await form.getByLabel('Name', { exact: true }).fill('backup box');
    await form.getByLabel('Address', { exact: true }).fill('not an address!');
    await form.getByLabel('Ports', { exact: true }).fill('22, http');
    await page.getByTestId('submit-server').click();
    const addressError = form.getByTestId('error-address');
    await addressError.waitFor();
    await expect(addressError.textContent()).resolves.toContain('an address is an IPv4 address');
    await expect(form.getByTestId('error-ports').textContent()).resolves.toContain('“http”: a port is a whole number');
    await expect(form.getByLabel('Address', { exact: true }).getAttribute('aria-invalid')).resolves.toBe('true');
    await screenshotThemes(page, 'form-error');

    // Valid for the schema, refused by the engine: the name is taken (case-insensitively).
    await form.getByLabel('Name', { exact: true }).fill('NAS');
    await form.getByLabel('Address', { exact: true }).fill('127.0.0.1');
    await form.getByLabel('Ports', { exact: true }).fill(String(port));
    await page.getByTestId('submit-server').click();
    const nameError = form.getByTestId('error-name');
    await nameError.waitFor();
    await expect(nameError.textContent()).resolves.toContain('this name is taken');
    await screenshotThemes(page, 'form-server-error');

    expect(await page.getByTestId('server-card').count()).toBe(1);
    expect(savedServers(home).map((s) => s.id)).toEqual(['nas']);
  });

  it('refuses a wrong token with the unauthorized banner and shows no data', async () => {
    const c = perTest();
    const port = await closedPort();
    const { page } = await openServed(c, { servers: [{ id: 'secret-box', name: 'secret-box', address: '127.0.0.1', ports: [port] }] }, '#token=wrong');
    const banner = page.getByTestId('connection-banner');
    await page.locator('[data-testid="connection-banner"][data-state="unauthorized"]').waitFor({ timeout: STATE_TIMEOUT });
    await expect(banner.getAttribute('role')).resolves.toBe('alert');
    await expect(banner.textContent()).resolves.toContain('refused the access token');
    await page.getByTestId('access-panel').waitFor();
    expect(await page.getByTestId('server-card').count()).toBe(0);
    await expect(page.locator('body').textContent()).resolves.not.toContain('secret-box');
    await expect(page.getByTestId('add-server').isDisabled()).resolves.toBe(true);
    await screenshotThemes(page, 'unauthorized');
  });

  it('shows skeleton cards until the first snapshot arrives', async () => {
    const c = perTest();
    const home = makeHome(c);
    const served = await startServe(c, home);
    const { page } = await newAppPage(browser, c);
    // Hold the socket: it opens, but the snapshot request is never answered.
    await page.routeWebSocket(/\/api\/ws/, () => undefined);
    await page.goto(served.openUrl);
    await page.getByTestId('loading').waitFor();
    expect(await page.getByTestId('empty-state').count()).toBe(0);
    await screenshotThemes(page, 'loading');
  });

  it('edits a server from the detail panel and keeps what was not changed', async () => {
    const c = perTest();
    const port = await closedPort();
    const { page, home } = await openServed(c, {
      servers: [
        { id: 'pve-01', name: 'pve-01', kind: 'proxmox-node', address: '127.0.0.1', ports: [port] },
        { id: 'media', name: 'media', kind: 'lxc', address: '127.0.0.1', ports: [port, 8096], parentId: 'pve-01', mac: 'aa:bb:cc:dd:ee:01' },
      ],
    });
    await card(page, 'media').getByRole('button', { name: 'media' }).click();
    await page.getByTestId('server-detail').getByTestId('edit-server').click();
    const form = page.getByTestId('server-form');
    await expect(form.getByLabel('Ports', { exact: true }).inputValue()).resolves.toBe(`${port}, 8096`);
    await expect(form.getByLabel('Runs on', { exact: true }).inputValue()).resolves.toBe('pve-01');
    await form.getByLabel('Notes', { exact: true }).fill('Jellyfin, GPU passthrough.');
    await form.getByLabel('Name', { exact: true }).fill('jellyfin');
    await screenshotThemes(page, 'form-edit');
    await page.getByTestId('submit-server').click();
    await form.waitFor({ state: 'detached' });

    const detail = page.getByTestId('server-detail');
    await detail.locator('h2', { hasText: 'jellyfin' }).waitFor();
    await expect(detail.textContent()).resolves.toContain('Jellyfin, GPU passthrough.');
    const saved = savedServers(home).find((s) => s.id === 'media') as unknown as Record<string, unknown>;
    expect(saved).toMatchObject({ name: 'jellyfin', kind: 'lxc', ports: [port, 8096], parentId: 'pve-01', mac: 'aa:bb:cc:dd:ee:01', notes: 'Jellyfin, GPU passthrough.' });
    // The guest sits under its host.
    expect(await page.locator('[data-testid="server-group"][data-parent-id="pve-01"] [data-server-id="media"]').count()).toBe(1);
  });

  it('says so when the engine goes away, and keeps the last known cards', async () => {
    const c = perTest();
    const port = await closedPort();
    const { page, served } = await openServed(c, { servers: [{ id: 'nas', name: 'nas', address: '127.0.0.1', ports: [port] }] });
    await waitPower(page, 'nas', 'off');
    await served.stop();
    const banner = page.locator('[data-testid="connection-banner"][data-state="closed"]');
    await banner.waitFor({ timeout: STATE_TIMEOUT });
    await expect(banner.textContent()).resolves.toMatch(/Retrying in \d+ s/);
    await expect(page.getByTestId('connection-indicator').textContent()).resolves.toBe('Offline');
    expect(await card(page, 'nas').count()).toBe(1);
    await screenshotThemes(page, 'disconnected');
  });
});
