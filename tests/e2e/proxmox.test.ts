import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import type { Lab } from '../../src/lab/lab';
import type { LabPower } from '../../src/lab/types';
import type { GuestInfo } from '../../src/lab/proxmox';
import { Cleanup, launchBrowser, newAppPage, screenshotThemes, seedLabHome, startServe, startTestLab, type AppPage } from './harness';

// Issue 5's end-to-end test: the real `rackdeck serve` with the lab's Proxmox cluster (two nodes,
// whose hosts are lab hosts on 127.0.92.x, this file's block) added with its certificate pinned.
// Guest actions, snapshots and a start that wakes a sleeping node first, all from the UI.

const STATE_TIMEOUT = 25_000;

const suite = new Cleanup();
let browser: Browser;
let lab: Lab;
let app: AppPage;
let page: Page;
let served: { openUrl: string };
let cluster: string;
/** The VM the snapshot test deletes at its end: the later tests leave it alone. */
let deleted = 0;
const history: { host: string; power: LabPower; at: number }[] = [];

const guests = (): GuestInfo[] => lab.proxmox!.vmids().map((v) => lab.proxmox!.guest(v).info());
const serverId = (g: Pick<GuestInfo, 'type' | 'vmid'>) => `pve-${cluster}-${g.type}-${g.vmid}`;
const card = (id: string): Locator => page.locator(`[data-testid="server-card"][data-server-id="${id}"]`);
const waitPower = (id: string, power: string) => page.locator(`[data-testid="server-card"][data-server-id="${id}"][data-power="${power}"]`).waitFor({ timeout: STATE_TIMEOUT });

beforeAll(async () => {
  browser = await launchBrowser(suite);
  lab = await startTestLab(suite, { firstAddress: '127.0.92.1', seed: 92, hosts: 4, proxmoxNodes: 2, initialPower: 'on', proxmox: { guests: 10 } });
  cluster = lab.proxmox!.clusterName.toLowerCase();
  for (const host of lab.hosts) host.onPowerChange((power) => history.push({ host: host.hostname, power, at: Date.now() }));
  const seeded = await seedLabHome(suite, lab);
  served = await startServe(suite, seeded.home);
  app = await newAppPage(browser, suite);
  page = app.page;
  await page.goto(served.openUrl);
  await page.getByTestId('server-grid').waitFor();
}, 60_000);
afterAll(() => suite.run());

describe('Proxmox guests from the cards and the drawer', () => {
  it('pauses a running VM from its card and resumes it, following each task to the state the guest reports', async () => {
    const vm = guests().find((g) => g.type === 'qemu' && g.status === 'running' && g.qmpstatus === 'running' && !g.hastate && !g.template)!;
    expect(vm).toBeDefined();
    const id = serverId(vm);
    await waitPower(id, 'on');
    // Only what a running VM can do, start and resume not among it.
    await expect(card(id).getByTestId('guest-action-start').count()).resolves.toBe(0);
    await card(id).getByTestId('guest-action-pause').click();
    await waitPower(id, 'paused');
    expect(lab.proxmox!.guest(vm.vmid).info().qmpstatus).toBe('paused');
    await screenshotThemes(page, 'proxmox-cards');

    await card(id).getByTestId('guest-action-resume').click();
    await waitPower(id, 'on');
    expect(lab.proxmox!.guest(vm.vmid).info().qmpstatus).toBe('running');

    // The drawer shows the task that did it, with its log, and the state read back from the guest.
    await card(id).getByRole('button', { name: vm.name, exact: true }).click();
    const drawer = page.getByTestId('server-detail');
    await drawer.locator('[data-testid="task-progress"][data-status="stopped"]').waitFor({ timeout: STATE_TIMEOUT });
    await expect(drawer.getByTestId('task-summary').textContent()).resolves.toBe('Resume: done');
    await expect(drawer.getByTestId('task-confirmed').textContent()).resolves.toMatch(/Now On/);
    await expect(drawer.getByTestId('task-log').textContent()).resolves.toMatch(/TASK OK/);
    await screenshotThemes(page, 'proxmox-guest-drawer-task');
  });

  it('issue 15: a VM paused or hibernated behind Rackdeck\'s back shows so after a refresh and offers Resume; backups and releases are shown', async () => {
    const [a, b] = guests().filter((g) => g.type === 'qemu' && g.status === 'running' && g.qmpstatus === 'running' && !g.hastate && !g.template && !g.lock);
    expect(b).toBeDefined();
    // Paused in Proxmox, not by Rackdeck: /cluster/resources still says running, the node's list says paused.
    lab.proxmox!.guest(a!.vmid).setStatus('paused');
    await waitPower(serverId(a!), 'paused');
    await card(serverId(a!)).getByTestId('guest-action-resume').waitFor({ timeout: STATE_TIMEOUT });
    // Hibernated: stopped with lock "suspended", shown as such, and Resume starts it again.
    lab.proxmox!.guest(b!.vmid).setStatus('hibernated');
    await waitPower(serverId(b!), 'suspended');
    await expect(card(serverId(b!)).getByTestId('state-badge').textContent()).resolves.toBe('Hibernated');
    await card(serverId(b!)).scrollIntoViewIfNeeded();
    await screenshotThemes(page, 'proxmox-paused-hibernated');
    await card(serverId(b!)).getByTestId('guest-action-resume').click();
    await waitPower(serverId(b!), 'on');
    expect(lab.proxmox!.guest(b!.vmid).info()).toMatchObject({ status: 'running' });
    lab.proxmox!.guest(a!.vmid).setStatus('running');
    await waitPower(serverId(a!), 'on');
    // A guest never backed up says so on its card (the backup scan ran after the cluster's first refresh).
    const never = guests().find((g) => !g.template && g.backups.length === 0 && g.vmid !== deleted)!;
    expect(never).toBeDefined();
    await card(serverId(never)).getByTestId('chip-backup').waitFor({ timeout: STATE_TIMEOUT });
    await expect(card(serverId(never)).getByTestId('chip-backup').textContent()).resolves.toMatch(/No backup/);
    expect(app.errors).toEqual([]);
  });

  it('takes a snapshot with a description, rolls back to it and deletes it', async () => {
    const vm = guests().find((g) => g.type === 'qemu' && g.status === 'stopped' && !g.template)!;
    expect(vm).toBeDefined();
    const id = serverId(vm);
    await waitPower(id, 'stopped');
    await card(id).getByRole('button', { name: vm.name, exact: true }).click();
    const drawer = page.getByTestId('server-detail');
    const tree = drawer.getByTestId('snapshot-tree');
    await tree.getByTestId('snapshot-current').waitFor();

    await tree.getByTestId('snapshot-new').click();
    const create = page.getByTestId('snapshot-create-dialog');
    await create.getByTestId('snapshot-name').fill('before-e2e');
    await create.getByTestId('snapshot-description').fill('Taken by the end-to-end test');
    // RAM can only be saved from a running VM.
    await expect(create.getByTestId('snapshot-ram').isDisabled()).resolves.toBe(true);
    await screenshotThemes(page, 'proxmox-snapshot-create');
    await create.getByTestId('snapshot-create').click();
    await create.waitFor({ state: 'detached' });
    await tree.getByTestId('snapshot-before-e2e').waitFor({ timeout: STATE_TIMEOUT });
    await expect(tree.getByTestId('snapshot-before-e2e').textContent()).resolves.toContain('Taken by the end-to-end test');
    expect(lab.proxmox!.guest(vm.vmid).info().snapshots).toContain('before-e2e');
    await tree.scrollIntoViewIfNeeded();
    await screenshotThemes(page, 'proxmox-snapshots');

    await tree.getByTestId('snapshot-rollback-before-e2e').click();
    const confirm = page.getByTestId('confirm-dialog');
    await expect(confirm.textContent()).resolves.toMatch(/returns to the state of before-e2e/);
    await screenshotThemes(page, 'proxmox-rollback-confirm');
    await confirm.getByTestId('confirm').click();
    await confirm.waitFor({ state: 'detached' });
    await expect(tree.getByTestId('task-summary').textContent()).resolves.toMatch(/Rollback|Roll/i);
    await tree.locator('[data-testid="task-progress"][data-status="stopped"]').waitFor({ timeout: STATE_TIMEOUT });
    await expect(tree.getByTestId('task-summary').textContent()).resolves.toMatch(/done/);

    await tree.getByTestId('snapshot-delete-before-e2e').click();
    await confirm.getByTestId('confirm').click();
    await confirm.waitFor({ state: 'detached' });
    await tree.getByTestId('snapshot-before-e2e').waitFor({ state: 'detached', timeout: STATE_TIMEOUT });
    expect(lab.proxmox!.guest(vm.vmid).info().snapshots).not.toContain('before-e2e');

    // Deleting the guest itself takes typing its name.
    await drawer.getByTestId('guest-delete').click();
    const del = page.getByTestId('delete-guest-dialog');
    await del.getByTestId('delete-confirm-name').fill(vm.name.toUpperCase());
    await expect(del.getByTestId('delete-confirm').isDisabled()).resolves.toBe(true);
    await del.getByTestId('delete-confirm-name').fill(vm.name);
    await screenshotThemes(page, 'proxmox-delete-guest');
    await del.getByTestId('delete-confirm').click();
    await del.waitFor({ state: 'detached' });
    deleted = vm.vmid;
    await card(id).waitFor({ state: 'detached', timeout: STATE_TIMEOUT });
    expect(lab.proxmox!.vmids()).not.toContain(vm.vmid);
  });

  it('wakes a sleeping node (through its host) before starting a VM on it', async () => {
    const node = lab.proxmox!.describe().nodes.find((n) => n.url !== lab.proxmox!.url)!;
    const vm = guests().find((g) => g.type === 'qemu' && g.node === node.name && !g.template && !g.hastate && g.vmid !== deleted)!;
    expect(vm).toBeDefined();
    lab.proxmox!.guest(vm.vmid).setStatus('stopped');
    const id = serverId(vm);
    await waitPower(id, 'stopped');

    const host = lab.host(node.name)!;
    await host.suspend();
    await host.waitForPower('suspended');
    // The cluster (through the other node) reports the node offline; its guests are unknown, and
    // the card still offers Start: Rackdeck wakes the node first.
    await waitPower(id, 'unknown');
    const start = card(id).getByTestId('guest-action-start');
    await start.waitFor({ timeout: STATE_TIMEOUT });
    await expect(start.getAttribute('title')).resolves.toContain(`Wakes node ${node.name} first`);
    await card(id).scrollIntoViewIfNeeded();
    await screenshotThemes(page, 'proxmox-node-asleep');

    const since = Date.now();
    lab.proxmox!.resetRequestLog();
    await start.click();
    await waitPower(id, 'waking');
    // It says what it waits for: the node (whose physical host gets the magic packet).
    await expect(card(id).textContent()).resolves.toMatch(new RegExp(`waking \\S*${node.name} first`));
    await waitPower(id, 'on');
    expect(lab.proxmox!.guest(vm.vmid).info().status).toBe('running');
    const nodeUp = history.find((h) => h.host === node.name && h.power === 'on' && h.at >= since)?.at;
    const startCall = lab.proxmox!.requestLog().find((r) => r.method === 'POST' && r.path === `/nodes/${node.name}/qemu/${vm.vmid}/status/start`);
    expect(nodeUp).toBeDefined();
    expect(startCall).toBeDefined();
    expect(startCall!.time).toBeGreaterThanOrEqual(nodeUp!);
    expect(app.errors).toEqual([]);
  });

  it('has a Proxmox panel in the top bar: clusters, storage, node tasks with their log, what changed', async () => {
    await page.getByTestId('open-proxmox').click();
    const panel = page.getByTestId('proxmox-panel');
    await panel.getByTestId('cluster').waitFor();
    await expect(panel.getByTestId('cluster-state').textContent()).resolves.toBe('Connected');
    // The release it runs, and consoles by API token (9.1 accepts them); the backup threshold setting.
    await expect(panel.getByTestId('cluster-version').textContent()).resolves.toMatch(/^Proxmox VE 9\.1\./);
    await expect(panel.getByTestId('cluster-consoles').textContent()).resolves.toMatch(/by API token|user login/);
    await panel.getByTestId('backup-settings').waitFor();
    await screenshotThemes(page, 'proxmox-panel-clusters');

    await panel.getByTestId('px-tab-storage').click();
    await panel.getByTestId('storage-row').first().waitFor();
    expect(await panel.getByTestId('storage-usage').count()).toBeGreaterThan(0);
    await screenshotThemes(page, 'proxmox-panel-storage');

    await panel.getByTestId('px-tab-tasks').click();
    await panel.getByTestId('task-row').first().waitFor();
    await panel.getByTestId('task-row').first().click();
    await expect.poll(() => panel.getByTestId('node-task-log').textContent(), { timeout: STATE_TIMEOUT }).toMatch(/TASK (OK|ERROR)/);
    await screenshotThemes(page, 'proxmox-panel-tasks');

    await panel.getByTestId('px-tab-changes').click();
    // The pause, resume and start above were noted between refreshes.
    await panel.getByTestId('change').first().waitFor({ timeout: STATE_TIMEOUT });
    await screenshotThemes(page, 'proxmox-panel-changes');
    await panel.getByTestId('close-panel').click();
    await panel.waitFor({ state: 'detached' });
  });

  it('adds a cluster by URL and token after showing its self-signed certificate to compare', async () => {
    // The lab's cluster once more, under another name and with its read-only token.
    await page.getByTestId('open-proxmox').click();
    const panel = page.getByTestId('proxmox-panel');
    await panel.getByTestId('add-cluster').click();
    const form = page.getByTestId('cluster-form');
    const token = lab.proxmox!.credentials.auditToken;
    await form.getByTestId('cluster-name').fill('audit');
    await form.getByTestId('cluster-url').fill(lab.proxmox!.url);
    await form.getByTestId('cluster-token').fill(`${token.tokenId}=${token.secret}`);
    await screenshotThemes(page, 'proxmox-cluster-form');
    await form.getByTestId('cluster-connect').click();
    // Trust on first use: the fingerprint is shown, in two lines to compare by eye, before anything is sent.
    const fingerprint = form.getByTestId('cluster-fingerprint');
    await fingerprint.waitFor();
    const pairs = lab.proxmox!.fingerprint.split(':');
    await expect(fingerprint.locator('code').allTextContents()).resolves.toEqual([pairs.slice(0, 16).join(':'), pairs.slice(16).join(':')]);
    await expect(form.getByTestId('cluster-trust').isDisabled()).resolves.toBe(true);
    await screenshotThemes(page, 'proxmox-cluster-fingerprint');
    await form.getByTestId('cluster-fingerprint-matches').check();
    await form.getByTestId('cluster-trust').click();
    await expect(form.getByTestId('cluster-added').textContent()).resolves.toContain(`2 nodes, ${lab.proxmox!.vmids().length} guests`);
    await form.getByRole('button', { name: 'Close' }).click();
    await form.waitFor({ state: 'detached' });
    await expect.poll(() => panel.getByTestId('cluster').count(), { timeout: STATE_TIMEOUT }).toBe(2);
    await page.getByTestId('close-panel').click();
  });
});
