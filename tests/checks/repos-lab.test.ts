import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxmoxClusterHandle } from '../../src/lab/proxmox';
import type { FakeNodeHost } from '../../src/lab/proxmox/test-kit';
import { runCheck } from '../../src/main/checks/runner';
import type { ChecksPeers, ChecksPorts } from '../../src/main/checks/ports';
import { checkSpecSchema, type CheckDef, type CheckView } from '../../src/shared/contract/checks';
import type { ServerView } from '../../src/shared/server';
import { openEngine } from '../proxmox/engine-kit';
import { clientFor, startLab } from '../proxmox/lab-kit';

/**
 * The `repos` check against the lab cluster over HTTPS, on both releases: the node's
 * subscription and repositories read from the node, judged as Proxmox's GUI warns.
 */
/** A token that may see guests but not the node's settings. */
const VIEW = { tokenId: 'view@pve!ro', secret: '5b0e2a4c-7d1f-4e3a-9c6b-2f8d1e0a7b35' };

describe.each([9, 8] as const)('the repos check on PVE %i', (version) => {
  let lab: ProxmoxClusterHandle;
  let hosts: FakeNodeHost[];
  let env: ReturnType<typeof openEngine>;

  const run = async (server: string, id = 'repos'): Promise<CheckView> => (await env.client.checks.run({ server, id }))[0] as CheckView;
  const servers = async (): Promise<ServerView[]> => (await env.client.servers.snapshot({})).servers;
  const node = async (name: string): Promise<ServerView> => (await servers()).find((s) => s.kind === 'proxmox-node' && s.proxmox?.node === name)!;

  beforeAll(async () => {
    ({ lab, hosts } = await startLab({ version, guests: 4, seed: 18, nodeNames: ['pve1', 'pve2'], tokens: [{ ...VIEW, privileges: ['VM.Audit'] }] }));
    env = openEngine();
    const t = lab.credentials.adminToken;
    await env.client.proxmox.addCluster({ name: 'lab', url: lab.url, token: `${t.tokenId}=${t.secret}`, fingerprint: lab.fingerprint });
  }, 60_000);

  afterAll(async () => {
    env?.close();
    await lab?.stop();
  });

  it("a homelab's usual node is ok, with the subscription and the enabled repositories in the details", async () => {
    const pve1 = await node('pve1');
    await env.client.checks.add({ server: pve1.id, check: { kind: 'repos' } });
    const v = await run(pve1.id);
    expect(v.state).toMatchObject({ status: 'ok', details: { subscription: 'notfound', repositories: 'no-subscription' } });
    expect(v.state.message).toMatch(/no-subscription repository \(the usual homelab setup/);
    // The same node on a check that wants production warnings.
    await env.client.checks.update({ server: pve1.id, id: 'repos', check: { kind: 'repos', noSubscriptionWarns: true } });
    expect((await run(pve1.id)).state).toMatchObject({ status: 'warning', message: 'the no-subscription repository is not recommended for production use' });
  });

  it('failing once the enterprise repository is enabled without a subscription; ok again with an active one', async () => {
    const pve2 = await node('pve2');
    await env.client.checks.add({ server: pve2.id, check: { kind: 'repos' } });
    lab.repos('pve2', { enterprise: true, noSubscription: false });
    const v = await run(pve2.id);
    expect(v.state).toMatchObject({ status: 'failing', details: { subscription: 'notfound', repositories: 'enterprise' } });
    expect(v.state.message).toBe('the enterprise repository is enabled, but there is no active subscription (apt update fails with 401)');
    lab.repos('pve2', { subscription: { status: 'active', nextduedate: '2027-03-01' } });
    expect((await run(pve2.id)).state).toMatchObject({ status: 'ok', message: 'enterprise repository with an active subscription', details: { subscription: 'active', level: 'c', nextDue: '2027-03-01' } });
  });

  it('a warning for an expired subscription, with its due date', async () => {
    const pve2 = await node('pve2');
    lab.repos('pve2', { subscription: { status: 'expired', nextduedate: '2026-01-10' }, enterprise: false, noSubscription: true });
    expect((await run(pve2.id)).state).toMatchObject({ status: 'warning', message: 'the subscription is expired (due 2026-01-10)' });
    lab.repos('pve2', { subscription: { status: 'notfound' }, oldSuite: true });
    const old = await run(pve2.id);
    expect(old.state.status).toBe('warning');
    expect(old.state.message).toMatch(/old suite '(bookworm|bullseye)' configured!/);
    lab.repos('pve2', { oldSuite: false });
  });

  it('a guest is unknown, with the reason', async () => {
    const guest = (await servers()).find((s) => s.proxmox?.type)!;
    await env.client.checks.add({ server: guest.id, check: { kind: 'repos' } });
    expect((await run(guest.id)).state).toMatchObject({ status: 'unknown', message: 'repositories are checked on the node, not on a guest' });
  });

  it('a node that is offline is unknown, saying so', async () => {
    const pve2 = await node('pve2');
    hosts[1]!.setPower('off');
    try {
      const v = await run(pve2.id);
      expect(v.state.status).toBe('unknown');
      expect(v.state.message).toMatch(/^the node (is off|does not answer \(offline\?\): The node is unreachable)/);
    } finally {
      hosts[1]!.setPower('on');
    }
  });

  it('credentials without Sys.Audit on the node: the 403 in words, and what to grant', async () => {
    const limited = clientFor(lab, { credentials: { kind: 'token', tokenId: VIEW.tokenId, secret: VIEW.secret } });
    const refusal = await limited.repos('pve1').then(
      () => undefined,
      (e: unknown) => e,
    );
    limited.close();
    expect(refusal).toMatchObject({ kind: 'permission', message: 'Missing privilege Sys.Audit on /nodes/pve1' });
    // That refusal as the runner words it.
    const check: CheckDef = { id: 'repos', ...checkSpecSchema.parse({ kind: 'repos' }) };
    const peers = { repos: () => Promise.reject(refusal) } as unknown as ChecksPeers;
    const out = await runCheck(check, { server: await node('pve1'), all: () => [], now: 0, signal: new AbortController().signal }, {} as ChecksPorts, peers);
    expect(out).toEqual({ result: 'unknown', message: "the cluster's credentials may not read the node's repositories: Missing privilege Sys.Audit on /nodes/pve1 (grant Sys.Audit on /nodes/pve1)" });
  });
});
