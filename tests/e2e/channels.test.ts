import net from 'node:net';
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
/** The server's one port: listening is "up", closed is "down". */
let port = 0;
let listener: net.Server | undefined;
const sockets = new Set<net.Socket>();
async function up(): Promise<void> {
  listener = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => listener!.listen(port, '127.0.118.2', () => resolve()));
  port = (listener.address() as net.AddressInfo).port;
}
async function down(): Promise<void> {
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => (listener ? listener.close(() => resolve()) : resolve()));
  listener = undefined;
}

const local = (ms: number) => {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
};

beforeAll(async () => {
  fake = await startProviderFake();
  suite.add('close the provider fake', () => fake.close());
  await up();
  suite.add('close the server port', () => down());
  browser = await launchBrowser(suite);
  const home = makeHome(suite, { servers: [{ id: 'nas', name: 'nas', kind: 'physical', address: '127.0.118.2', ports: [port] }] });
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

  it('a rule with a grace period routed to the channel: the server goes down, after the grace the alert is in the UI and the Gotify fake receives it', async () => {
    const panel = page.getByTestId('alerts-panel');
    await panel.getByTestId('alerts-tab-rules').click();
    const rule = panel.locator('[data-testid="rule"][data-rule-id="server-down"]');
    await rule.waitFor();
    // A few seconds of grace: the policy loop fires it at its next pass.
    await rule.getByTestId('rule-grace').fill('0.05');
    await rule.getByText('every channel').click();
    await rule.getByTestId('rule-routing').getByText('Phone').first().waitFor();
    await panel.getByTestId('rules-save').click();
    await panel.getByText('Rules saved. They apply from the next reading.').waitFor();
    await page.keyboard.press('Escape');
    await page.locator('[data-testid="server-card"][data-server-id="nas"][data-power="on"]').waitFor();
    await down();
    await expect.poll(() => page.getByTestId('alert-count').textContent(), { timeout: 60_000 }).toBe('1');
    await expect.poll(() => fake.requests.filter((r) => r.path === '/message' && r.body.includes('nas is down')).length, { timeout: 10_000 }).toBe(1);
    const sent = fake.requests.filter((r) => r.path === '/message').at(-1)!;
    expect(sent.headers['x-gotify-key']).toBe(fake.tokens.gotify);
    expect(JSON.parse(sent.body)).toEqual({ title: 'nas is down', message: expect.stringContaining('stopped answering'), priority: 8 });
    await page.getByTestId('open-alerts').click();
    const row = page.getByTestId('alerts-panel').locator('[data-testid="alert-row"][data-kind="down"]');
    await row.waitFor();
    await row.getByTestId('ack-note-open').click();
    await row.getByTestId('ack-note-input').fill('PSU swap, back by noon');
    await row.getByTestId('ack-note-save').click();
    await expect(row.getByTestId('ack-note').textContent()).resolves.toContain('PSU swap, back by noon');
    await up();
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
    // A per-server override beside it: the CPU rule at 70 % for this server only.
    await panel.getByTestId('override-rule').selectOption('cpu-high');
    await panel.getByTestId('override-threshold').fill('70');
    await panel.getByTestId('override-save').click();
    await expect(panel.getByTestId('override-item').textContent()).resolves.toContain('at 70 %');
    await page.keyboard.press('Escape');
    const chip = page.locator('[data-testid="server-card"][data-server-id="nas"] [data-testid="card-maintenance"]');
    await chip.waitFor();
    await expect(chip.textContent()).resolves.toMatch(/^In maintenance until /);
  });
});
