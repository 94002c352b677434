/**
 * pveum on a lab node, as Rackdeck's token setup runs it over SSH: roles checked against the
 * release's privileges (VM.Monitor refused on 9, VM.GuestAgent.Audit on 8), a user, an API
 * token with privilege separation printed as JSON, ACLs — and the token then works on the API
 * with exactly what its role grants.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHostSpecs } from '../../src/lab/hosts/catalog';
import { SimHost } from '../../src/lab/hosts/host';
import { startProxmoxCluster, type ProxmoxClusterHandle } from '../../src/lab/proxmox/index';
import { fakeNodeHost, labCall } from '../../src/lab/proxmox/test-kit';
import { createSession, runScript, stderrOf, stdoutOf, type RunResult } from '../../src/lab/shell/interpreter';
import { shellFor } from '../../src/lab/shell/shells';

const plan = { singleAddress: false, firstAddress: '127.0.91.1', basePort: 20000 };
const spec = buildHostSpecs({ count: 1, seed: 3, plan, initialPower: 'on' })[0];

function node(): SimHost {
  if (!spec) throw new Error('no spec');
  return new SimHost(spec, { seed: 3, authorizedKeys: [], bootDelayMs: 0, suspendDelayMs: 0, tls: () => Promise.reject(new Error('no tls')) });
}

describe.each([
  [9, 'VM.GuestAgent.Audit', 'VM.Monitor'],
  [8, 'VM.Monitor', 'VM.GuestAgent.Audit'],
] as const)('pveum on PVE %i', (version, agentPrivilege, missingPrivilege) => {
  let lab: ProxmoxClusterHandle;
  const host = node();
  const sh = (script: string, user = 'root'): Promise<RunResult> => runScript(script, shellFor(host.spec), createSession(host.machine, user, false));

  beforeAll(async () => {
    lab = await startProxmoxCluster({ nodes: [fakeNodeHost('pve1')], version, guests: 8, seed: 2, taskDelayMs: 5, authFailDelayMs: 0, certificateKey: 'ec' });
    host.attachPveTools({ pveum: (args) => lab.pveum(args) });
  });

  afterAll(async () => {
    await lab?.stop();
  });

  it('creates a least-privilege token the API then honours', async () => {
    const privs = `VM.Audit,VM.PowerMgmt,${missingPrivilege},Sys.Audit`;
    const refused = await sh(`pveum role add 'Rackdeck' --privs '${privs}'`);
    expect(refused.code).toBe(255);
    expect(stderrOf(refused)).toBe(
      `400 Parameter verification failed.\nprivs: invalid format - invalid privilege '${missingPrivilege}'\n\npveum role add <roleid> [OPTIONS]\n`,
    );

    const good = `VM.Audit,VM.PowerMgmt,${agentPrivilege},Sys.Audit`;
    expect((await sh(`pveum role add 'Rackdeck' --privs '${good}'`)).code).toBe(0);
    const again = await sh(`pveum role add 'Rackdeck' --privs '${good}'`);
    expect([again.code, stderrOf(again)]).toEqual([255, "create role failed: role 'Rackdeck' already exists\n"]);
    expect((await sh(`pveum role modify 'Rackdeck' --privs '${good}'`)).code).toBe(0);
    expect((await sh("pveum user add 'rackdeck@pve' --comment 'Rackdeck (created by Rackdeck over SSH)'")).code).toBe(0);
    expect(stderrOf(await sh("pveum user add 'rackdeck@pve'"))).toBe("create user failed: user 'rackdeck@pve' already exists\n");
    expect((await sh("pveum acl modify / --users 'rackdeck@pve' --roles 'Rackdeck'")).code).toBe(0);
    const noToken = await sh("pveum user token remove 'rackdeck@pve' 'rackdeck'");
    expect([noToken.code, stderrOf(noToken)]).toEqual([255, "deleting token failed: no such token 'rackdeck' for user 'rackdeck@pve'\n"]);

    const added = await sh("pveum user token add 'rackdeck@pve' 'rackdeck' --privsep 1 --comment 'Rackdeck' --output-format json");
    expect(added.code).toBe(0);
    const token = JSON.parse(stdoutOf(added)) as { 'full-tokenid': string; info: { privsep: string; comment: string }; value: string };
    expect(token).toMatchObject({ 'full-tokenid': 'rackdeck@pve!rackdeck', info: { privsep: '1', comment: 'Rackdeck' } });
    expect(Object.keys(token)).toEqual(['full-tokenid', 'info', 'value']);
    const auth = { token: `PVEAPIToken=rackdeck@pve!rackdeck=${token.value}` };

    // Privilege separation: nothing until the token has its own ACL.
    const before = await labCall(lab.url, '/nodes/pve1/status', { auth, ca: lab.certPem });
    expect(before.status).toBe(403);
    expect((await sh("pveum acl modify / --tokens 'rackdeck@pve!rackdeck' --roles 'Rackdeck'")).code).toBe(0);
    expect((await labCall(lab.url, '/nodes/pve1/status', { auth, ca: lab.certPem })).status).toBe(200);

    const vm = lab.vmids().map((v) => lab.guest(v).info()).find((g) => g.type === 'qemu' && g.agent.running);
    const agent = await labCall(lab.url, `/nodes/${vm?.node}/qemu/${vm?.vmid}/agent/network-get-interfaces`, { auth, ca: lab.certPem });
    expect(agent.status).toBe(200);
    const snapshot = await labCall(lab.url, `/nodes/${vm?.node}/qemu/${vm?.vmid}/snapshot`, { method: 'POST', auth, params: { snapname: 'x' }, ca: lab.certPem });
    expect(snapshot.reason).toBe(`Permission check failed (/vms/${vm?.vmid}, VM.Snapshot)`);
  });

  it('is root only, and needs the node to be part of a running cluster', async () => {
    const user = await sh('pveum role add X', 'admin');
    expect(user.code).toBe(111);
    expect(stderrOf(user)).toContain('Permission denied');
    const alone = node();
    const result = await runScript('pveum role add X', shellFor(alone.spec), createSession(alone.machine, 'root', false));
    expect(stderrOf(result)).toContain('Connection refused');
  });
});
