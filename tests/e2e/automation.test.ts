import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { Cleanup, launchBrowser, makeHome, newAppPage, screenshot, startServe, type Served } from './harness';
import fs from 'node:fs';
import path from 'node:path';

// Issue 17's Schedules panel, in Chromium against `rackdeck serve`: a schedule is created from
// the form, listed with its next time, shown in the "Next 24 h" view, refused with the reason
// when its time cannot be read, and removed. 127.0.178.x is this file's block.

const suite = new Cleanup();
let page: Page;
let served: Served;
let home: string;

beforeAll(async () => {
  home = makeHome(suite, {
    servers: [
      { id: 'nas', name: 'nas', address: '127.0.178.1', ports: [22] },
      { id: 'pve', name: 'pve', address: '127.0.178.2', ports: [22] },
    ],
  });
  served = await startServe(suite, home);
  const browser = await launchBrowser(suite);
  page = (await newAppPage(browser, suite)).page;
  await page.goto(served.openUrl);
  await page.getByTestId('open-schedules').click();
  await page.getByTestId('schedules-panel').waitFor();
});

afterAll(() => suite.run());

const saved = () => JSON.parse(fs.readFileSync(path.join(home, 'config.json'), 'utf8')).settings.automation;

describe('the Schedules panel', () => {
  it('creates a schedule, lists it with its next time, and shows it in the next 24 h', async () => {
    await page.getByTestId('schedules-empty').waitFor();
    await page.getByTestId('schedule-server').selectOption('nas');
    await page.getByTestId('schedule-action').selectOption('suspend');
    // Every hour: whenever the test runs, the next 24 hours hold it 24 times.
    await page.getByTestId('schedule-when').fill('0 * * * *');
    await page.getByTestId('schedule-name').fill('Often');
    await page.getByTestId('schedule-add').click();
    const row = page.getByTestId('schedule-row');
    await row.filter({ hasText: 'Often' }).waitFor();
    expect(await row.count()).toBe(1);
    expect(await row.first().textContent()).toContain('nas');
    expect(saved().schedules[0]).toMatchObject({ name: 'Often', action: 'suspend', target: { serverId: 'nas' }, when: '0 * * * *' });

    await page.getByTestId('schedules-tab-next').click();
    await page.getByTestId('next-day').waitFor();
    const first = page.getByTestId('next-item').first();
    await first.waitFor();
    expect(await first.textContent()).toMatch(/suspend\s*nas.*Often/);
    expect(await page.getByTestId('next-item').count()).toBe(24);
    await screenshot(page, 'schedules-next-24h');
  });

  it('a group schedule in the simple form shows up too; a time it cannot read is refused with the reason', async () => {
    await page.getByTestId('schedules-tab-schedules').click();
    await page.getByTestId('schedule-target-kind').selectOption('group');
    await page.getByTestId('schedule-group').fill('lab');
    await page.getByTestId('schedule-action').selectOption('wake');
    await page.getByTestId('schedule-when').fill('someday 07:00');
    await page.getByTestId('schedule-add').click();
    await page.getByTestId('schedules-error').filter({ hasText: '"someday" is not a day form' }).waitFor();
    expect(saved().schedules).toHaveLength(1);

    await page.getByTestId('schedule-when').fill('daily 07:00');
    await page.getByTestId('schedule-add').click();
    await page.getByTestId('schedule-row').filter({ hasText: 'group lab' }).waitFor();
    expect(saved().schedules).toHaveLength(2);
    await screenshot(page, 'schedules-list');

    await page.getByTestId('schedule-row').filter({ hasText: 'Often' }).getByTestId('schedule-remove').click();
    await page.getByTestId('schedule-row').filter({ hasText: 'Often' }).waitFor({ state: 'detached' });
    expect(saved().schedules).toHaveLength(1);
  });
});
