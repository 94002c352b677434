import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import type { Lab } from '../../src/lab/lab';
import type { LabPower } from '../../src/lab/types';
import { Cleanup, launchBrowser, newAppPage, screenshotThemes, seedLabHome, startServe, startTestLab, wakeableHosts, type AppPage } from './harness';

// Issue 4's end-to-end test: the real `rackdeck serve` against a lab on 127.0.91.x (this file's
// block), driven from the cards in Chromium. Magic packets go to the lab's listener on loopback;
// suspend and the init that reads host keys go over SSH to the lab's hosts.

const STATE_TIMEOUT = 20_000;

const suite = new Cleanup();
let browser: Browser;
let lab: Lab;
let app: AppPage;
let page: Page;
let ids: Record<string, string>;
let home: string;
let openUrl: string;
/** The three hosts this file works on: `solo` on its own, `parent` with `child` under it. */
let solo: string;
let parent: string;
let child: string;
/** Each lab host's power changes, with when they happened. */
const history: { host: string; power: LabPower; at: number }[] = [];

beforeAll(async () => {
  browser = await launchBrowser(suite);
  lab = await startTestLab(suite, { firstAddress: '127.0.91.1', seed: 91, initialPower: 'on', proxmox: false });
  const hosts = wakeableHosts(lab);
  expect(hosts.length).toBeGreaterThanOrEqual(3);
  [solo, parent, child] = hosts.slice(0, 3).map((h) => h.hostname) as [string, string, string];
  // All three asleep before Rackdeck starts: it has never seen them, so it finds them "off".
  await Promise.all([solo, parent, child].map(async (name) => {
    const host = lab.host(name)!;
    await host.suspend();
    await host.waitForPower('suspended');
  }));
  for (const host of lab.hosts) host.onPowerChange((power) => history.push({ host: host.hostname, power, at: Date.now() }));
  const seeded = await seedLabHome(suite, lab, { parents: { [child]: parent } });
  ids = seeded.ids;
  home = seeded.home;
  const served = await startServe(suite, seeded.home);
  openUrl = served.openUrl;
  app = await newAppPage(browser, suite);
  page = app.page;
  await page.goto(served.openUrl);
  await page.getByTestId('server-grid').waitFor();
}, 60_000);
afterAll(() => suite.run());

const card = (name: string): Locator => page.locator(`[data-testid="server-card"][data-server-id="${ids[name]}"]`);
const waitPower = (name: string, power: string) => page.locator(`[data-testid="server-card"][data-server-id="${ids[name]}"][data-power="${power}"]`).waitFor({ timeout: STATE_TIMEOUT });

describe('power control from the cards', () => {
  it('wakes a sleeping host (waking → on) and puts it to sleep (suspending → suspended)', async () => {
    await waitPower(solo, 'off');
    await expect(card(solo).getByTestId('power-suspend').isVisible()).resolves.toBe(false);
    await card(solo).getByTestId('power-wake').click();
    await waitPower(solo, 'waking');
    // While it lasts: progress, elapsed time and what is being done.
    const progress = card(solo).getByTestId('power-progress');
    await progress.waitFor();
    await expect(progress.getByTestId('power-elapsed').textContent()).resolves.toMatch(/\d+ s/);
    await screenshotThemes(page, 'power-waking');
    await waitPower(solo, 'on');
    expect(lab.host(solo)!.power()).toBe('on');
    expect(lab.wol.counters.woke).toBeGreaterThanOrEqual(1);

    // Up: Suspend is the card's labelled action; Shut down and Reboot ask first.
    await card(solo).getByTestId('power-suspend').waitFor();
    await card(solo).getByTestId('power-shutdown').click();
    const confirm = page.getByTestId('confirm-dialog');
    await expect(confirm.textContent()).resolves.toMatch(/will power off/);
    await screenshotThemes(page, 'power-confirm-shutdown');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    expect(lab.host(solo)!.power()).toBe('on');
    await screenshotThemes(page, 'power-cards');

    await card(solo).getByTestId('power-suspend').click();
    await waitPower(solo, 'suspending');
    await waitPower(solo, 'suspended');
    expect(lab.host(solo)!.power()).toBe('suspended');
    // Rackdeck put it to sleep, so it knows it is asleep rather than off, and offers Wake again.
    await card(solo).getByTestId('power-wake').waitFor();
  });

  it('wakes the parent first when a child whose parent sleeps is woken', async () => {
    await waitPower(parent, 'off');
    await waitPower(child, 'off');
    // The child sits under its parent.
    expect(await page.locator(`[data-testid="server-group"][data-parent-id="${ids[parent]}"] [data-server-id="${ids[child]}"]`).count()).toBe(1);
    const since = Date.now();
    await card(child).getByTestId('power-wake').click();
    await waitPower(child, 'waking');
    await waitPower(parent, 'on');
    await waitPower(child, 'on');
    const cameUp = (name: string) => history.find((h) => h.host === name && h.at >= since && h.power === 'on')?.at;
    const bootStarted = (name: string) => history.find((h) => h.host === name && h.at >= since && h.power === 'booting')?.at;
    expect(cameUp(parent)).toBeDefined();
    expect(bootStarted(child)).toBeDefined();
    // The child's magic packet was sent only once its parent was up.
    expect(bootStarted(child)!).toBeGreaterThanOrEqual(cameUp(parent)!);
  });

  it('shows a changed host key with both fingerprints, and pins the new one when accepted', async () => {
    await waitPower(solo, 'suspended');
    await card(solo).getByTestId('power-wake').click();
    await waitPower(solo, 'on');
    const before = lab.describe().hosts.find((h) => h.hostname === solo)!.ssh.hostKeyFingerprint;
    // Rackdeck has pinned the key by now: init runs over SSH as soon as the host answers.
    await card(solo).getByRole('button', { name: solo, exact: true }).click();
    const drawer = page.getByTestId('server-detail');
    await drawer.getByTestId('interfaces').waitFor({ timeout: STATE_TIMEOUT });
    await screenshotThemes(page, 'power-drawer');
    await drawer.getByTestId('system-info').scrollIntoViewIfNeeded();
    await screenshotThemes(page, 'power-drawer-system');

    const after = lab.host(solo)!.rotateHostKey();
    expect(after).not.toBe(before);
    // The next SSH connection is refused: here, looking at the host again from the drawer.
    await drawer.getByTestId('run-init').click();
    const onCard = card(solo).getByTestId('hostkey-changed');
    await onCard.waitFor({ timeout: STATE_TIMEOUT });
    await expect(onCard.getByTestId('hostkey-old').textContent()).resolves.toBe(before);
    await expect(onCard.getByTestId('hostkey-new').textContent()).resolves.toBe(after);
    await expect(drawer.getByTestId('hostkey-changed').getByTestId('hostkey-new').textContent()).resolves.toBe(after);
    await drawer.getByTestId('hostkey-changed').scrollIntoViewIfNeeded();
    await screenshotThemes(page, 'power-hostkey-changed');

    // Accept from the card: one more look at both fingerprints, then pinned.
    await onCard.getByTestId('hostkey-accept').click();
    const confirm = page.getByTestId('confirm-dialog');
    await expect(confirm.getByTestId('hostkey-new').textContent()).resolves.toBe(after);
    await screenshotThemes(page, 'power-hostkey-confirm');
    await confirm.getByTestId('confirm').click();
    await onCard.waitFor({ state: 'detached', timeout: STATE_TIMEOUT });
    await page.getByTestId('toast').filter({ hasText: `New host key of ${solo} accepted` }).waitFor();
    // SSH works again with the new key: suspend goes through.
    await card(solo).getByTestId('power-suspend').click();
    await waitPower(solo, 'suspended');
    expect(lab.host(solo)!.power()).toBe('suspended');
    expect(app.errors).toEqual([]);
  });

  it('opens the server a desktop notification or tray entry names (ui.select)', async () => {
    // The desktop face sends `ui.select` when a notification is clicked; here the page's socket
    // is passed through to the real engine and the event is slipped in as main would send it.
    const other = await newAppPage(browser, suite);
    let toPage: ((frame: string) => void) | undefined;
    await other.page.routeWebSocket(/\/api\/ws/, (ws) => {
      ws.connectToServer();
      toPage = (frame) => ws.send(frame);
    });
    await other.page.goto(openUrl);
    await other.page.getByTestId('server-grid').waitFor();
    expect(await other.page.getByTestId('server-detail').count()).toBe(0);
    toPage!(JSON.stringify({ event: 'ui.select', payload: { serverId: ids[child] } }));
    await other.page.locator(`[data-testid="server-detail"][data-server-id="${ids[child]}"]`).waitFor();
    await other.page.locator(`[data-testid="server-card"][data-server-id="${ids[child]}"][data-selected]`).waitFor();
    expect(other.errors).toEqual([]);
  });

  it('saves Wake-on-LAN and power settings from the form, and a SecureOn password only as a secret', async () => {
    await page.getByTestId('close-detail').click().catch(() => undefined);
    await card(parent).getByRole('button', { name: parent, exact: true }).click();
    const drawer = page.getByTestId('server-detail');
    await drawer.getByTestId('edit-server').click();
    const form = page.getByTestId('server-form');
    // The lab's inventory already has WoL settings (its listener), so that section is open.
    await form.getByTestId('wol-unicast').check();
    await form.getByTestId('wol-secureon').check();
    await form.getByTestId('field-wol.password').fill('not a password');
    await form.locator('[data-testid="section-power"] summary').click();
    await form.getByTestId('power-sudo').check();
    await form.getByTestId('field-cmd.reboot').fill('systemctl reboot --firmware-setup');
    await form.getByTestId('field-timeout.suspend').fill('90');
    await page.getByTestId('submit-server').click();
    // Checked before anything is sent: the SecureOn password's accepted forms.
    await expect(form.getByTestId('error-wol.password').textContent()).resolves.toMatch(/4 bytes as 192.168.1.1 or 6 bytes/);
    await form.getByTestId('field-wol.password').fill('12:34:56:78:9a:bc');
    await form.getByTestId('field-wol.password').scrollIntoViewIfNeeded();
    await screenshotThemes(page, 'form-power-settings');
    await page.getByTestId('submit-server').click();
    await form.waitFor({ state: 'detached' });

    const config = fs.readFileSync(path.join(home, 'config.json'), 'utf8');
    const saved = (JSON.parse(config) as { servers: { id: string; wol?: Record<string, unknown>; powerControl?: Record<string, unknown> }[] }).servers.find((s) => s.id === ids[parent])!;
    expect(saved.wol).toMatchObject({ unicast: true, secureOn: true, ports: [lab.wol.port] });
    expect(saved.powerControl).toMatchObject({ useSudo: true, customCommands: { reboot: { command: 'systemctl reboot --firmware-setup', runOn: 'ssh' } }, timeouts: { suspendMs: 90_000 } });
    // The password is in the encrypted secrets store, not in the config; the UI only knows it is there.
    expect(config).not.toContain('12:34:56:78:9a:bc');
    await drawer.getByText('SecureOn password stored').waitFor({ timeout: STATE_TIMEOUT });
    await expect(page.locator('body').textContent()).resolves.not.toContain('12:34:56:78:9a:bc');
    await drawer.locator('[data-section="connection"]').scrollIntoViewIfNeeded();
    await screenshotThemes(page, 'power-drawer-settings');
    expect(app.errors).toEqual([]);
  });
});
