import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { Cleanup, launchBrowser, makeHome, newAppPage, startServe } from './harness';
import { startProviderFake, type ProviderFake } from '../channels/provider-fakes';

/**
 * Issue 18 in the browser: a channel added from an Apprise URL (its token never shown back),
 * its "Send test" reaching a Gotify-shaped fake on loopback, and a maintenance window that the
 * server's card then states.
 */
const suite = new Cleanup();
let browser: Browser;
let page: Page;
let fake: ProviderFake;

const local = (ms: number) => {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
};

beforeAll(async () => {
  fake = await startProviderFake();
  suite.add('close the provider fake', () => fake.close());
  browser = await launchBrowser(suite);
  const home = makeHome(suite, { servers: [{ id: 'nas', name: 'nas', kind: 'physical', address: '127.0.118.2', ports: [1] }] });
  const served = await startServe(suite, home);
  page = (await newAppPage(browser, suite)).page;
  await page.goto(served.openUrl);
  await page.getByTestId('server-grid').waitFor();
}, 90_000);
afterAll(() => suite.run());

describe('channels and maintenance in the browser', () => {
  it('adds a channel from an Apprise URL, shows its secret only as set, and sends a test to the Gotify fake', async () => {
    await page.getByTestId('open-alerts').click();
    const panel = page.getByTestId('alerts-panel');
    await panel.getByTestId('alerts-tab-channels').click();
    const port = new URL(fake.url).port;
    await panel.getByTestId('channel-url').fill(`gotify://127.0.118.1:${port}/${fake.tokens.gotify}`);
    await panel.getByTestId('channel-name').fill('Phone');
    await panel.getByTestId('channel-save').click();
    const item = panel.getByTestId('channel-item-gotify');
    await item.waitFor();
    await expect(item.getByTestId('channel-secret').textContent()).resolves.toContain('application token: set');
    expect(await page.content()).not.toContain(fake.tokens.gotify);
    await item.getByTestId('channel-send-test').click();
    await item.getByTestId('channel-test-result').waitFor();
    await expect(item.getByTestId('channel-test-result').textContent()).resolves.toMatch(/^✓ 127\.0\.118\.1:\d+ answered 200$/);
    const sent = fake.requests.filter((r) => r.path === '/message');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.headers['x-gotify-key']).toBe(fake.tokens.gotify);
    expect(JSON.parse(sent[0]!.body)).toMatchObject({ title: 'Rackdeck test notification', priority: 2 });
  });

  it('a maintenance window for the server: listed, and its card says until when', async () => {
    const panel = page.getByTestId('alerts-panel');
    await panel.getByTestId('alerts-tab-maintenance').click();
    await panel.getByTestId('maintenance-name').fill('Disk swap');
    const now = Date.now();
    await panel.getByTestId('maintenance-start').fill(local(now - 60 * 60_000));
    await panel.getByTestId('maintenance-end').fill(local(now + 60 * 60_000));
    await panel.getByTestId('maintenance-save').click();
    await panel.getByTestId('maintenance-item').waitFor();
    await expect(panel.getByTestId('maintenance-item').textContent()).resolves.toContain('Disk swap');
    await panel.getByTestId('maintenance-now').waitFor();
    await page.keyboard.press('Escape');
    const chip = page.locator('[data-testid="server-card"][data-server-id="nas"] [data-testid="card-maintenance"]');
    await chip.waitFor();
    await expect(chip.textContent()).resolves.toMatch(/^In maintenance until /);
  });
});
