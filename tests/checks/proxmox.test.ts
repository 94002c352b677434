import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxmoxClusterHandle } from '../../src/lab/proxmox';
import type { CheckView } from '../../src/shared/contract/checks';
import type { ServerView } from '../../src/shared/server';
import { openEngine } from '../proxmox/engine-kit';
import { startLab } from '../proxmox/lab-kit';

/**
 * The Proxmox checks against the lab cluster over HTTPS: backup freshness from the backup scan
 * (the guests' volumes and vzdump tasks), storage fill from the node's storage list.
 */
let lab: ProxmoxClusterHandle;
let env: ReturnType<typeof openEngine>;

const HOUR = 3_600_000;
const add = (server: string, check: Record<string, unknown>) => env.client.checks.add({ server, check: check as never });
const run = async (server: string, id: string): Promise<CheckView> => (await env.client.checks.run({ server, id }))[0] as CheckView;

beforeAll(async () => {
  ({ lab } = await startLab({ guests: 8, seed: 18, nodeNames: ['pve1'] }));
  env = openEngine();
  const t = lab.credentials.adminToken;
  await env.client.proxmox.addCluster({ name: 'lab', url: lab.url, token: `${t.tokenId}=${t.secret}`, fingerprint: lab.fingerprint });
  await env.client.proxmox.scanBackups({});
}, 60_000);

afterAll(async () => {
  env?.close();
  await lab?.stop();
});

const servers = async (): Promise<ServerView[]> => (await env.client.servers.snapshot({})).servers;

describe('Proxmox checks', () => {
  it('backup freshness of one guest: its last good backup against the ages', async () => {
    const guest = (await servers()).find((s) => s.proxmox?.type && !s.proxmox.template && s.proxmox.backup?.lastOkAt !== undefined)!;
    expect(guest, 'the lab backs up some guests').toBeDefined();
    const ageHours = (env.clock.now() - guest.proxmox!.backup!.lastOkAt!) / HOUR;
    await add(guest.id, { kind: 'backup', warnHours: 8760, failHours: 8760 });
    expect((await run(guest.id, 'backup')).state).toMatchObject({ status: 'ok', message: `backed up ${Math.round(ageHours)} h ago` });
    // Ages below the backup's own: stale.
    const hours = Math.max(1, Math.floor(ageHours) - 1);
    await env.client.checks.update({ server: guest.id, id: 'backup', check: { kind: 'backup', warnHours: hours, failHours: 8760 } });
    expect((await run(guest.id, 'backup')).state.status).toBe('warning');
    await env.client.checks.update({ server: guest.id, id: 'backup', check: { kind: 'backup', warnHours: hours, failHours: hours } });
    const failing = await run(guest.id, 'backup');
    expect(failing.state.status).toBe('failing');
    expect(failing.state.message).toContain(guest.name);
  });

  it('on a node: every guest it runs, a guest never backed up failing by name', async () => {
    const all = await servers();
    const node = all.find((s) => s.kind === 'proxmox-node')!;
    const guests = all.filter((s) => s.proxmox?.type && s.proxmox.node === node.proxmox?.node && !s.proxmox.template);
    await add(node.id, { kind: 'backup', warnHours: 8760, failHours: 8760 });
    const v = await run(node.id, 'backup');
    const never = guests.filter((g) => g.proxmox?.backup && g.proxmox.backup.lastOkAt === undefined);
    expect(v.state.details?.guests).toBe(guests.length);
    if (never.length) {
      expect(v.state.status).toBe('failing');
      for (const g of never) expect(v.state.message).toContain(`${g.name} never`);
    } else expect(v.state.status).toBe('ok');
  });

  it('storage fill of a node, and a refusal on a guest', async () => {
    const all = await servers();
    const node = all.find((s) => s.kind === 'proxmox-node')!;
    const pools = (await env.client.proxmox.storage({})).filter((p) => p.node === node.proxmox?.node && p.fraction !== undefined);
    expect(pools.length).toBeGreaterThan(0);
    await add(node.id, { kind: 'storage', warnPercent: 99, failPercent: 100 });
    const ok = await run(node.id, 'storage');
    for (const p of pools) expect(ok.state.details?.[p.storage]).toBe(Math.round(p.fraction! * 1000) / 10);
    const fullest = Math.max(...pools.map((p) => p.fraction!));
    const limit = Math.max(1, Math.floor(fullest * 100) - 1);
    await env.client.checks.update({ server: node.id, id: 'storage', check: { kind: 'storage', warnPercent: limit, failPercent: limit } });
    expect((await run(node.id, 'storage')).state.status).toBe('failing');
    const guest = all.find((s) => s.proxmox?.type)!;
    await add(guest.id, { kind: 'storage' });
    expect((await run(guest.id, 'storage')).state).toMatchObject({ status: 'unknown', message: 'storage is checked on the node, not on a guest' });
  });
});
