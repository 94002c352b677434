import { describe, expect, it, onTestFinished } from 'vitest';
import { Cleanup, launchBrowser, makeHome, newAppPage, startServe, type SeedServer } from '../e2e/harness';

// A config.json with one server's port at 99999: `rackdeck serve` loads every other server and
// the page, opened long after the engine started (no start-up notice reached it), says which
// entry was set aside, why, and where it is kept.

describe('a damaged config said out loud in the UI', () => {
  it('shows the set-aside entry with its reason beside the servers that loaded', async () => {
    const c = new Cleanup();
    onTestFinished(() => c.run());
    const bad = { id: 'broken', name: 'broken', address: '127.0.46.2', ports: [99999] } as unknown as SeedServer;
    const home = makeHome(c, {
      servers: [{ id: 'first', name: 'first', address: '127.0.46.1', ports: [1] }, bad, { id: 'third', name: 'third', address: '127.0.46.3', ports: [1] }],
    });
    const served = await startServe(c, home);
    const browser = await launchBrowser(c);
    const { page, errors } = await newAppPage(browser, c);
    await page.goto(served.openUrl);
    await page.locator('[data-testid="server-card"][data-server-id="third"]').waitFor();
    const ids = await page.getByTestId('server-card').evaluateAll((cards) => cards.map((el) => el.getAttribute('data-server-id')));
    expect(ids.sort()).toEqual(['first', 'third']);
    const banner = page.getByTestId('set-aside-banner');
    await banner.waitFor();
    const entry = banner.getByTestId('set-aside-entry');
    await expect(entry.count()).resolves.toBe(1);
    const text = (await entry.textContent()) ?? '';
    expect(text).toContain('broken');
    expect(text).toContain('a port is a whole number from 1 to 65535');
    expect(text).toMatch(/kept in .*config\.json\.rejected-/);
    expect(errors).toEqual([]);
  });
});
