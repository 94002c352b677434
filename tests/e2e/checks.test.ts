import http from 'node:http';
import type net from 'node:net';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cleanup, launchBrowser, makeHome, newAppPage, screenshot, serveInProcess, type InProcess } from './harness';

// Issue 18's Checks section in Chromium against the web face: an HTTP check is added in the
// drawer, run now, goes failing when its keyword leaves the page (with its alert raised),
// is edited and removed. 127.0.218.30 is this file's address (the checks tests' block).

const ADDRESS = '127.0.218.30';
const suite = new Cleanup();
let browser: Browser;
let page: Page;
let served: InProcess;
let site: http.Server;
let port = 0;
let body = '<h1>Welcome to the NAS</h1>';

beforeAll(async () => {
  site = http.createServer((_req, res) => res.end(body));
  await new Promise<void>((resolve) => site.listen(0, ADDRESS, resolve));
  port = (site.address() as net.AddressInfo).port;
  suite.add('close the site', () => new Promise<void>((resolve) => site.close(() => resolve())));
  const home = makeHome(suite, { servers: [{ id: 'nas', name: 'nas', address: ADDRESS, ports: [port] }] });
  served = await serveInProcess(suite, home);
  browser = await launchBrowser(suite);
  page = (await newAppPage(browser, suite)).page;
  await page.goto(served.openUrl);
  await page.locator('[data-testid="server-card"][data-server-id="nas"]').getByRole('button', { name: 'nas', exact: true }).click();
  await page.locator('[data-testid="server-detail"][data-server-id="nas"]').waitFor();
}, 90_000);
afterAll(() => suite.run());

const section = (): Locator => page.locator('[data-section="checks"]');
const row = (id: string): Locator => section().locator(`[data-testid="check"][data-check-id="${id}"]`);

describe('the Checks section', () => {
  it('adds an HTTP check with a keyword; run now shows it ok with its message', async () => {
    await section().getByTestId('check-add').click();
    await section().getByTestId('check-kind').selectOption('http');
    await section().getByTestId('check-url').fill('not a url');
    await section().getByTestId('check-save').click();
    expect(await section().getByTestId('check-form-error').textContent()).toMatch(/URL: a URL like/);
    await section().getByTestId('check-url').fill(`http://${ADDRESS}:${port}/`);
    await section().getByTestId('check-keyword').fill('Welcome');
    await section().getByTestId('check-save').click();
    await row('http').waitFor();
    await row('http').getByTestId('check-run').click();
    await section().locator('[data-check-id="http"][data-state="ok"]').waitFor();
    expect(await row('http').getByTestId('check-message').textContent()).toMatch(/^200 in \d+ ms$/);
    await screenshot(page, 'checks-ok');
  });

  it('the keyword leaves the page: failing, with the alert raised', async () => {
    body = '<h1>502 Bad Gateway</h1>';
    await row('http').getByTestId('check-run').click();
    await section().locator('[data-check-id="http"][data-state="failing"]').waitFor();
    expect(await row('http').getByTestId('check-message').textContent()).toBe('"Welcome" is not on the page');
    expect(await row('http').locator('.check-alert').count()).toBe(1);
    expect(served.app.monitoring.listAlerts({ state: 'active' }).map((a) => a.subject)).toContain('check:nas:http');
    body = '<h1>Welcome to the NAS</h1>';
  });

  it('edits the check (the keyword must now be absent) and removes it', async () => {
    await row('http').getByTestId('check-edit').click();
    await section().getByTestId('check-keyword').fill('Bad Gateway');
    await section().getByTestId('check-keywordAbsent').check();
    await section().getByTestId('check-save').click();
    await row('http').getByTestId('check-run').waitFor();
    await row('http').getByTestId('check-run').click();
    await section().locator('[data-check-id="http"][data-state="ok"]').waitFor();
    expect(served.app.checks.list('nas')[0]?.check).toMatchObject({ kind: 'http', keyword: 'Bad Gateway', keywordAbsent: true });
    await row('http').getByTestId('check-remove').click();
    await row('http').getByTestId('check-remove-confirm').click();
    await section().getByText('No checks yet', { exact: false }).waitFor();
    expect(served.app.checks.list('nas')).toEqual([]);
  });

  it('offers the repos kind with its one option; on a server that is not a Proxmox node it runs unknown, saying why', async () => {
    await section().getByTestId('check-add').click();
    await section().getByTestId('check-kind').selectOption('repos');
    await section().getByTestId('check-noSubscriptionWarns').check();
    await section().getByTestId('check-save').click();
    await row('repos').getByTestId('check-run').click();
    await section().locator('[data-check-id="repos"][data-state="unknown"]').waitFor();
    await expect.poll(() => row('repos').getByTestId('check-message').textContent()).toBe('not a Proxmox node: add this check to a node Rackdeck discovered from a cluster');
    expect(served.app.checks.list('nas')[0]?.check).toMatchObject({ kind: 'repos', noSubscriptionWarns: true });
  });
});
