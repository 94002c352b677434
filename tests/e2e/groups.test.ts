import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import type { Lab } from '../../src/lab/lab';
import { Cleanup, launchBrowser, newAppPage, screenshotThemes, seedLabHome, startServe, startTestLab, wakeableHosts } from './harness';

// Issue 17's end-to-end test: the real `rackdeck serve` against a lab on 127.0.173.x (this
// file's block), driven in Chromium. A group is made in the UI, the grid filtered by it, and a
// bulk wake confirmed from its listing; the magic packets go to the lab's listener on loopback.

const STATE_TIMEOUT = 30_000;
const suite = new Cleanup();
let browser: Browser;
let lab: Lab;
let page: Page;
let ids: Record<string, string>;
let members: [string, string];
let outsider: string;

beforeAll(async () => {
  browser = await launchBrowser(suite);
  lab = await startTestLab(suite, { firstAddress: '127.0.173.1', seed: 173, initialPower: 'on', proxmox: false });
  const hosts = wakeableHosts(lab);
  expect(hosts.length).toBeGreaterThanOrEqual(3);
  members = [hosts[0]!.hostname, hosts[1]!.hostname];
  outsider = hosts[2]!.hostname;
  // Both members asleep before Rackdeck starts: it finds them off.
  await Promise.all(members.map(async (name) => {
    const host = lab.host(name)!;
    await host.suspend();
    await host.waitForPower('suspended');
  }));
  const seeded = await seedLabHome(suite, lab, { settings: { bulk: { wakeSpacingMs: 1_500 } } });
  ids = seeded.ids;
  const served = await startServe(suite, seeded.home);
  page = (await newAppPage(browser, suite)).page;
  await page.goto(served.openUrl);
  await page.getByTestId('server-grid').waitFor();
}, 90_000);
afterAll(() => suite.run());

const card = (name: string): Locator => page.locator(`[data-testid="server-card"][data-server-id="${ids[name]}"]`);
const waitPower = (name: string, power: string) => card(name).and(page.locator(`[data-power="${power}"]`)).waitFor({ timeout: STATE_TIMEOUT });

describe('groups, the filter bar and a bulk wake', () => {
  it('creates a group in the UI and filters the grid by it', async () => {
    await waitPower(members[0], 'off');
    await waitPower(members[1], 'off');
    await page.getByTestId('new-group').click();
    const dialog = page.getByTestId('group-dialog');
    // A bad name is refused in place, and nothing is saved.
    await dialog.getByTestId('group-name').fill('no spaces here');
    await dialog.getByTestId('group-save').click();
    await dialog.getByRole('alert').filter({ hasText: 'a group name is' }).waitFor();
    await dialog.getByTestId('group-name').fill('rack1');
    for (const name of members) await dialog.locator(`[data-testid="group-member"][data-server-id="${ids[name]}"]`).check();
    await screenshotThemes(page, 'groups-new');
    await dialog.getByTestId('group-save').click();
    await dialog.waitFor({ state: 'detached' });

    // The new group's chip is on and the grid shows its members only.
    const chip = page.locator('[data-testid="group-chip"][data-group="rack1"]');
    await expect(chip.getAttribute('aria-pressed')).resolves.toBe('true');
    await page.locator('[data-testid="server-grid"][data-filtered]').waitFor();
    await card(outsider).waitFor({ state: 'detached' });
    expect(await page.getByTestId('server-card').count()).toBe(2);
    // Off and on again.
    await chip.click();
    await card(outsider).waitFor();
    await chip.click();
    await card(outsider).waitFor({ state: 'detached' });
  });

  it('lists what a bulk wake will do, in order and spaced, and runs it once confirmed', async () => {
    await page.getByTestId('bulk-wake').click();
    const dialog = page.getByTestId('bulk-dialog');
    const steps = dialog.getByTestId('bulk-step');
    await steps.first().waitFor();
    await expect(dialog.getByRole('heading').textContent()).resolves.toBe('Wake group rack1?');
    await expect(dialog.textContent()).resolves.toMatch(/Wake 2 servers, one every 1\.5 s/);
    expect(await steps.evaluateAll((els) => els.map((e) => e.getAttribute('data-server-id')))).toEqual(members.map((m) => ids[m]));
    expect(await steps.locator('.bulk-offset').allTextContents()).toEqual(['+0 s', '+1.5 s']);
    await screenshotThemes(page, 'groups-bulk-confirm');

    await dialog.getByTestId('bulk-confirm').click();
    await dialog.locator('[data-testid="bulk-plan"][data-state="done"]').waitFor({ timeout: STATE_TIMEOUT });
    expect(await steps.evaluateAll((els) => els.map((e) => e.getAttribute('data-status')))).toEqual(['sent', 'sent']);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
    for (const name of members) await waitPower(name, 'on');
    for (const name of members) expect(lab.host(name)!.power()).toBe('on');
  });
});
