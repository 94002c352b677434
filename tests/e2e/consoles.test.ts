import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Lab } from '../../src/lab/lab';
import { Cleanup, launchBrowser, newAppPage, screenshotThemes, seedLabHome, startServe, startTestLab } from './harness';

// Issue 7's end-to-end test: from a card's drawer, a host's terminal over real SSH to a lab
// host runs `uname -a`; a VM's screen through the lab's Proxmox is drawn by noVNC. The lab
// lives on 127.0.94.x (this file's block).

const suite = new Cleanup();
let browser: Browser;
let lab: Lab;
let page: Page;
let errors: string[];
let ids: Record<string, string>;
let home: string;

beforeAll(async () => {
  browser = await launchBrowser(suite);
  lab = await startTestLab(suite, { firstAddress: '127.0.94.1', seed: 95, initialPower: 'on', proxmox: { guests: 4 } });
  const seeded = await seedLabHome(suite, lab);
  ids = seeded.ids;
  home = seeded.home;
  const served = await startServe(suite, seeded.home);
  const app = await newAppPage(browser, suite);
  page = app.page;
  errors = app.errors;
  await page.goto(served.openUrl);
}, 90_000);

afterAll(() => suite.run());

async function openDrawer(serverId: string) {
  await page.locator(`[data-testid="server-card"][data-server-id="${serverId}"]`).first().click();
}

describe('consoles from a card', () => {
  it("opens a host's terminal, runs uname -a and shows the output", async () => {
    const host = lab.describe().hosts.find((h) => h.os === 'debian' || h.os === 'ubuntu');
    expect(host).toBeDefined();
    const id = ids[host!.hostname]!;
    await page.locator(`[data-testid="server-card"][data-server-id="${id}"][data-power="on"]`).first().waitFor({ timeout: 30_000 });
    await openDrawer(id);
    // The console refuses until the host key is pinned; the init loop pins it on first contact.
    // Wait for the pin itself (Rackdeck's known-hosts file), then open once.
    const pinned = path.join(home, 'known-hosts.json');
    await expect.poll(() => fs.existsSync(pinned) && fs.readFileSync(pinned, 'utf8').includes(host!.ssh.hostKeyFingerprint), { timeout: 30_000 }).toBe(true);
    const open = page.getByTestId('open-ssh-shell');
    await open.waitFor({ timeout: 30_000 });
    const terminal = page.locator(`[data-testid="terminal-view"][data-server-id="${id}"]`);
    await open.click();
    await expect.poll(() => terminal.last().getAttribute('data-state'), { timeout: 30_000 }).toBe('open');
    await terminal.last().locator('.xterm').click();
    await page.keyboard.type('uname -a\n');
    await expect.poll(() => terminal.last().locator('.xterm-rows').innerText(), { timeout: 15_000 }).toMatch(/Linux \S+ .*GNU\/Linux/);
    await screenshotThemes(page, 'console-terminal');
  });

  it("opens a VM's screen and sees it drawn", async () => {
    const vm = lab.proxmox!.vmids().map((vmid) => lab.proxmox!.guest(vmid).info()).find((g) => g.type === 'qemu' && g.status === 'running' && g.qmpstatus === 'running' && !g.template);
    expect(vm).toBeDefined();
    const card = page.locator('[data-testid="server-card"]', { hasText: vm!.name }).first();
    await card.waitFor({ timeout: 30_000 });
    await card.click();
    await page.getByTestId('open-vnc').click();
    const screen = page.locator('[data-testid="vnc-view"]').last();
    await expect.poll(() => screen.getAttribute('data-drawn'), { timeout: 20_000 }).toBe('true');
    await screenshotThemes(page, 'console-vnc');
    expect(errors.filter((e) => !/WebSocket|favicon/.test(e))).toEqual([]);
  });
});
