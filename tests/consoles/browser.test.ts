/**
 * End to end in Chromium: the console components on a page that talks to a real Rackdeck over
 * the web face. A host's terminal (real sshd) runs `uname -a`; a VM's screen (the simulated
 * Proxmox, relayed through main) is drawn by noVNC; live stats and a streamed command show;
 * closing a tab closes its session in main.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createClient, type RackdeckClient } from '../../src/shared/contract';
import { startProxmoxCluster, type ProxmoxClusterHandle } from '../../src/lab/proxmox';
import { fakeNodeHost } from '../../src/lab/proxmox/test-kit';
import { createApp, type RackdeckApp } from '../../src/main/root/app';
import { localTransport } from '../../src/main/ipc/local-transport';
import { silentLogger } from '../../src/main/base/logger';
import { SshPool, sshTargetFor } from '../../src/main/drivers/ssh';
import { KnownHostsStore } from '../../src/main/store/known-hosts';
import { startWebServer, type WebServer } from '../../src/main/faces/web/server';
import { newToken } from '../../src/main/faces/web/security';
import { startSshd, sshdAvailable, type SshdFixture } from '../ssh/sshd-fixture';
import { buildHarness } from './browser-harness';

const CHROMIUM = process.env.RACKDECK_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'];
const SHOTS = path.resolve('test-results/consoles');
const ready = sshdAvailable && fs.existsSync(CHROMIUM);

let sshd: SshdFixture;
let lab: ProxmoxClusterHandle;
let home: string;
let app: RackdeckApp;
let client: RackdeckClient;
let web: WebServer;
let browser: Browser;
let page: Page;
let vmId: string;
const undo: (() => unknown)[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!ready) return;
  const harness = await buildHarness();
  undo.push(harness.remove);
  sshd = await startSshd();
  undo.push(() => sshd.stop());
  lab = await startProxmoxCluster({ nodes: [fakeNodeHost('pve1')], guests: 6, taskDelayMs: 5, authFailDelayMs: 0, seed: 5, certificateKey: 'ec' });
  undo.push(() => lab.stop());
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-consoles-e2e-'));
  undo.push(() => fs.rmSync(home, { recursive: true, force: true }));
  app = createApp({ home, face: 'web', log: silentLogger, probe: async () => ({ openPorts: {} }) });
  undo.push(() => app.stop());
  client = createClient(localTransport(app, 'test'));
  await client.servers.add({ name: 'box', address: '127.0.0.1', ports: [sshd.port], ssh: { user: sshd.user, port: sshd.port, auth: 'key', keyPath: sshd.key.path } });
  const pool = new SshPool({ knownHosts: new KnownHostsStore(home) });
  await pool.exec(sshTargetFor(app.engine.get('box'), { get: () => undefined }), 'true');
  pool.close();
  // The cluster, with a user login (consoles need one) and its certificate pinned; discovery adds its guests as servers.
  await app.proxmox.addCluster({ name: 'lab', url: lab.url, username: lab.credentials.user.username, password: lab.credentials.user.password, fingerprint: lab.fingerprint });
  const vm = app.engine.servers().find((s) => s.proxmox?.type === 'qemu' && s.proxmox.vmid !== undefined && lab.guest(s.proxmox.vmid).info().node === 'pve1');
  if (!vm?.proxmox?.vmid) throw new Error('discovery found no VM');
  lab.guest(vm.proxmox.vmid).setStatus('running');
  vmId = vm.id;
  web = await startWebServer({ app, host: '127.0.0.1', port: 0, token: newToken(), rendererDir: harness.dir, log: silentLogger });
  undo.push(() => web.close());
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  undo.push(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: web.url });
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(web.openUrl);
  await page.locator('[data-server-id="box"] [data-testid="open-ssh-shell"]').waitFor();
  fs.mkdirSync(SHOTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  for (const step of undo.reverse()) {
    try {
      await step();
    } catch {
      // keep undoing
    }
  }
});

/** The text xterm.js shows (its DOM renderer's rows). */
const screenText = (p: Page) => p.locator('.console-panel:not([hidden]) .xterm-rows').innerText();

describe.skipIf(!ready)('consoles in Chromium', () => {
  it("opens a host's terminal from its button, runs uname -a and shows the output", async () => {
    await page.locator('[data-server-id="box"] [data-testid="open-ssh-shell"]').click();
    await page.locator('.console-panel:not([hidden]) [data-testid="terminal-view"][data-state="open"]').waitFor();
    await page.locator('.console-panel:not([hidden]) .xterm').click();
    await page.keyboard.type('uname -a');
    await page.keyboard.press('Enter');
    await expect.poll(() => screenText(page), { timeout: 10_000 }).toMatch(new RegExp(`Linux ${os.hostname()} \\d`));
    expect(await page.locator('[data-testid="console-tabs"] [role="tab"]').first().innerText()).toContain('box');
    await page.screenshot({ path: path.join(SHOTS, 'terminal.png') });
    expect((await client.consoles.list({})).filter((s) => s.serverId === 'box' && s.kind === 'ssh-shell')).toHaveLength(1);
  });

  it('opens a second terminal in its own tab, and closing a tab closes its session in main', async () => {
    await page.locator('[data-server-id="box"] [data-testid="open-ssh-shell"]').click();
    await page.locator('.console-panel:not([hidden]) [data-testid="terminal-view"][data-state="open"]').waitFor();
    await expect.poll(async () => (await client.consoles.list({})).filter((s) => s.kind === 'ssh-shell').length).toBe(2);
    expect(await page.locator('[role="tab"]').nth(1).innerText()).toMatch(/box \(2\)/);
    await page.locator('[data-testid="console-tab-close"]').nth(1).click();
    await expect.poll(async () => (await client.consoles.list({})).filter((s) => s.kind === 'ssh-shell').length).toBe(1);
  });

  it("draws a VM's screen relayed through main, with Ctrl-Alt-Del", async () => {
    await page.locator(`[data-server-id="${vmId}"] [data-testid="open-vnc"]`).click();
    const view = page.locator('.console-panel:not([hidden]) [data-testid="vnc-view"]');
    await page.locator('.console-panel:not([hidden]) [data-testid="vnc-view"][data-drawn="true"]').waitFor({ timeout: 15_000 });
    // The canvas holds a picture (title bar, text, background), not a blank screen.
    await expect
      .poll(
        () =>
          view.locator('canvas').evaluate((el) => {
            // Runs in the page; the test's own types have no DOM.
            const c = el as unknown as { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null };
            const ctx = c.getContext('2d');
            if (!ctx || c.width === 0) return 0;
            const data = ctx.getImageData(0, 0, c.width, c.height).data;
            const colours = new Set<number>();
            for (let i = 0; i < data.length; i += 4 * 53) colours.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
            return colours.size;
          }),
        { timeout: 10_000 },
      )
      .toBeGreaterThan(2);
    expect(await view.locator('[data-testid="vnc-cad"]').isEnabled()).toBe(true);
    await view.locator('[data-testid="vnc-cad"]').click();
    await page.screenshot({ path: path.join(SHOTS, 'vnc.png') });
  });

  it('shows live stats and streams a command', async () => {
    await page.locator('[data-server-id="box"] [data-testid="open-stats"]').click();
    const row = page.locator('.console-panel:not([hidden]) [data-testid="stats-row"]');
    await expect.poll(() => row.innerText(), { timeout: 15_000 }).toMatch(/running\s+\d+\.\d%/);
    await page.screenshot({ path: path.join(SHOTS, 'stats.png') });
    await page.locator('[data-server-id="box"] [data-testid="open-exec"]').click();
    const exec = page.locator('.console-panel:not([hidden]) [data-testid="exec-view"]');
    await exec.getByLabel('Command').fill('echo streamed-$((20+22)); exit 4');
    await exec.getByTestId('exec-run').click();
    await expect.poll(() => exec.getByTestId('exec-status').innerText(), { timeout: 10_000 }).toMatch(/exited with code 4/);
    expect(await screenText(page)).toContain('streamed-42');
    await exec.getByLabel('What to run').selectOption('journal');
    await exec.getByLabel('Service log').fill('nginx; rm -rf /');
    await exec.getByLabel('Service log').blur();
    expect(await exec.getByRole('alert').innerText()).toContain('service name');
    expect(await exec.getByTestId('exec-run').isDisabled()).toBe(true);
    await page.screenshot({ path: path.join(SHOTS, 'exec.png') });
    expect(pageErrors).toEqual([]);
  });
});
