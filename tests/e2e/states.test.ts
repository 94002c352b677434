import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { POWER_LABELS, POWER_STATES } from '../../src/shared/power';
import type { NoticeLevel } from '../../src/shared/events';
import { Cleanup, fakeServer, launchBrowser, makeHome, newAppPage, routeFakeEngine, screenshotThemes, startServe } from './harness';

// Every power state and every notice level on one screen, fed by a fake engine: the states a
// loopback probe cannot produce (suspended, paused, init_failed, the transitional ones) still
// get drawn, checked for their words, and photographed in both themes.

const suite = new Cleanup();
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser(suite);
});
afterAll(() => suite.run());

describe('power states and notices', () => {
  it('draws each state with its own words, and each notice level as a toast', async () => {
    const c = new Cleanup();
    try {
      const served = await startServe(c, makeHome(c));
      const { page, errors } = await newAppPage(browser, c);
      const now = Date.now();
      const kinds = ['physical', 'proxmox-node', 'vm', 'lxc'] as const;
      const servers = POWER_STATES.map((power, i) =>
        fakeServer(i, now, {
          id: power,
          name: power.replace('_', '-'),
          power,
          kind: kinds[i % 4]!,
          ports: i % 3 === 0 ? [22, 80, 443, 8006, 9100, 3000, 5432, 6379] : [22, 443],
          openPorts: power === 'on' ? { '22': true, '443': true, '80': true } : {},
          since: now - (i + 1) * 3_700_000,
          ...(power === 'init_failed' ? { detail: 'ssh: authentication failed (publickey)' } : {}),
          ...(power === 'unknown' ? { lastSeen: undefined } : {}),
        }),
      );
      // A stand-in Notification API: permission granted, the page not focused, calls recorded.
      await page.addInitScript(`
        window.__notified = [];
        window.Notification = class { constructor(title, options) { window.__notified.push(title + ' | ' + options.body); } close() {} };
        window.Notification.permission = 'granted';
        window.Notification.requestPermission = async () => 'granted';
        document.hasFocus = () => false;
      `);
      const engine = await routeFakeEngine(page, servers);
      await page.goto(served.openUrl);
      await engine.connected;
      for (const power of POWER_STATES) {
        const badge = page.locator(`[data-testid="server-card"][data-server-id="${power}"] [data-testid="state-badge"]`);
        await expect(badge.textContent()).resolves.toBe(POWER_LABELS[power]);
      }
      const levels: NoticeLevel[] = ['info', 'success', 'warning', 'error'];
      const text: Record<NoticeLevel, [string, string]> = {
        info: ['backup-01 is up', 'It started answering.'],
        success: ['nas-01 is asleep', 'It suspended as asked.'],
        warning: ['router went down', 'It stopped answering (no answer within 1500 ms).'],
        error: ['pve-02 could not be initialised', 'ssh: authentication failed (publickey)'],
      };
      levels.forEach((level, i) => engine.notice({ id: `n${i}`, at: now, level, title: text[level][0], body: text[level][1] }));
      await page.getByTestId('toast').nth(3).waitFor();
      await expect(page.locator('[data-testid="toast"][data-level="error"]').getAttribute('role')).resolves.toBe('alert');
      await expect(page.getByTestId('state-counts').textContent()).resolves.toMatch(/1 on.*4 changing.*2 asleep.*2 down.*1 failed.*1 unknown/);
      // Six states do not fit with their words on a 1 366-px bar: every count stays whole (dot and
      // number, its words kept for screen readers and in its title), none cut off or hidden.
      const clipped = await page.getByTestId('state-counts').evaluate((list) => {
        const box = list.getBoundingClientRect();
        return [...list.querySelectorAll('.count')].filter((c) => c.getBoundingClientRect().right > box.right + 0.5).length;
      });
      expect(clipped).toBe(0);
      // Measured as the browser lays the bar out (a ResizeObserver), not during React's commit:
      // wider, the words come back; narrower again, they go, with no count cut off either way.
      const counts = page.getByTestId('state-counts');
      await counts.and(page.locator('[data-compact]')).waitFor();
      await page.setViewportSize({ width: 2200, height: 860 });
      await counts.and(page.locator(':not([data-compact])')).waitFor();
      await page.setViewportSize({ width: 1366, height: 860 });
      await counts.and(page.locator('[data-compact]')).waitFor();
      // In the web face, notices also go to the browser's notifications once allowed.
      await expect(page.evaluate<string[]>('window.__notified')).resolves.toEqual(levels.map((l) => `${text[l][0]} | ${text[l][1]}`));
      expect(await page.getByTestId('enable-notifications').count()).toBe(0);
      await expect(page.title()).resolves.toBe('2 down, 1 failed · Rackdeck');
      await screenshotThemes(page, 'states');
      expect(errors).toEqual([]);
    } finally {
      await c.run();
    }
  });
});
