/**
 * The token in the browser (issues 13 and 14), end to end with Chromium against the real
 * `rackdeck serve`: it leaves the address bar after the first load (kept in this tab's session
 * storage), and a page without it, or with a wrong one, says so, says where to find the right
 * one, and takes it in a form.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { Browser } from 'playwright-core';
import { Cleanup, launchBrowser, makeHome, newAppPage, screenshotThemes, startServe, type Served } from '../e2e/harness';

let browser: Browser;
let served: Served;
const suite = new Cleanup();
beforeAll(async () => {
  browser = await launchBrowser(suite);
  served = await startServe(suite, makeHome(suite));
});
afterAll(() => suite.run());

async function page() {
  const c = new Cleanup();
  onTestFinished(() => c.run());
  return newAppPage(browser, c);
}

describe('the access token in the browser', () => {
  it('leaves the address bar after the first load, stays in this tab, and survives a reload', async () => {
    const { page: p, errors } = await page();
    await p.goto(served.openUrl);
    await p.getByTestId('empty-state').waitFor();
    expect(p.url()).toBe(served.origin);
    expect(p.url()).not.toContain('token');
    expect(await p.evaluate<string | null>("sessionStorage.getItem('rackdeck.token')")).toBe(served.token);
    await p.reload();
    await p.getByTestId('empty-state').waitFor();
    expect(p.url()).not.toContain('token');
    expect(errors).toEqual([]);
  });

  it('without a token: says the link lacks it and where to find it, and takes it in a form', async () => {
    const { page: p } = await page();
    await p.goto(served.origin);
    const panel = p.getByTestId('access-panel');
    await panel.waitFor();
    const text = (await panel.textContent()) ?? '';
    expect(text).toContain('needs its access link');
    expect(text).toContain('rackdeck serve');
    expect(text).toContain('rackdeck web-url');
    await screenshotThemes(p, 'access-form');
    await p.getByTestId('field-token').fill(served.token);
    await p.getByTestId('access-submit').click();
    await p.getByTestId('empty-state').waitFor();
    expect(await p.evaluate<string | null>("sessionStorage.getItem('rackdeck.token')")).toBe(served.token);
  });

  it('with a wrong token: says it is wrong, takes a wrong one again without letting in, then the whole printed address', async () => {
    const { page: p } = await page();
    await p.goto(`${served.origin}#token=not-the-token`);
    const panel = p.locator('[data-testid="access-panel"][data-refused]');
    await panel.waitFor();
    expect(p.url()).not.toContain('not-the-token');
    expect(await panel.textContent()).toContain('wrong token');
    await p.getByTestId('field-token').fill('still-wrong');
    await p.getByTestId('access-submit').click();
    await p.locator('[data-testid="connection-banner"][data-state="unauthorized"]').waitFor();
    await panel.waitFor();
    expect(await p.getByTestId('server-card').count()).toBe(0);
    await p.getByTestId('field-token').fill(served.openUrl);
    await p.getByTestId('access-submit').click();
    await p.getByTestId('empty-state').waitFor();
    expect(p.url()).not.toContain('token');
  });
});
