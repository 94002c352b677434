import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Lab } from '../../src/lab/lab';
import type { SimHost } from '../../src/lab/hosts/host';
import type { RackdeckApp } from '../../src/main/root/app';
import { Cleanup, launchBrowser, newAppPage, seedLabHome, serveInProcess, startTestLab, wakeableHosts } from './harness';

// Issue 13: init found Wake-on-LAN off on the interface whose MAC is used. The card says so, and
// the suspend confirmation warns and offers the fix (ethtool over SSH) before anything is done.
// A lab on 127.0.215.x (this file's block), the engine and web face in this process.

const suite = new Cleanup();
let browser: Browser;
let lab: Lab;
let page: Page;
let app: RackdeckApp;
let host: SimHost;
let id: string;
let iface: string;

beforeAll(async () => {
  browser = await launchBrowser(suite);
  lab = await startTestLab(suite, { firstAddress: '127.0.215.1', seed: 215, hosts: 3, initialPower: 'on', proxmox: false });
  const name = wakeableHosts(lab)[0]?.hostname as string;
  host = lab.host(name) as SimHost;
  iface = host.spec.nics[0]?.name as string;
  host.machine.setWakeOn(iface, 'd');
  // ethtool -s needs root: the lab's admin user gets there with sudo -n, as a real one would.
  const seeded = await seedLabHome(suite, lab, { withoutCluster: true, tweak: (s) => ({ ...s, powerControl: { customCommands: {}, timeouts: {}, ...s.powerControl, useSudo: true } }) });
  id = seeded.ids[name] as string;
  const served = await serveInProcess(suite, seeded.home);
  app = served.app;
  // Init reads the NICs over SSH (and pins the host key on first contact).
  await app.power.initNow(id);
  page = (await newAppPage(browser, suite)).page;
  await page.goto(served.openUrl);
  await page.getByTestId('server-grid').waitFor();
}, 60_000);
afterAll(() => suite.run());

describe('Wake-on-LAN off where it is needed', () => {
  it('the card shows it; suspend asks first, warns, and enables WoL when told', async () => {
    const card = page.locator(`[data-testid="server-card"][data-server-id="${id}"]`);
    await expect(card.getByTestId('wol-off-badge').textContent()).resolves.toBe(`WoL off on ${iface}`);

    await card.getByTestId('power-suspend').click();
    const dialog = page.getByTestId('confirm-dialog');
    const warning = dialog.getByTestId('wol-off-warning');
    await warning.waitFor();
    expect(await warning.textContent()).toContain(`it will not come back by Wake-on-LAN: WoL is off on ${iface} — enable it first?`);
    // Asking changed nothing.
    expect(host.power()).toBe('on');

    await dialog.getByTestId('wol-off-enable').click();
    // Enabled over SSH: the warning and the card's badge go once the engine knows.
    await warning.waitFor({ state: 'detached' });
    await card.getByTestId('wol-off-badge').waitFor({ state: 'detached' });
    expect(host.machine.wakeOn(iface)).toBe('g');

    await dialog.getByTestId('confirm').click();
    await card.locator('xpath=self::*[@data-power="suspended"]').waitFor({ timeout: 20_000 });
    expect(host.power()).toBe('suspended');
  });
});
