/**
 * The least-privilege token setup as Rackdeck runs it over SSH, against a lab node's shell on
 * both releases: the release is read with pveversion first, PVE 9 gets VM.GuestAgent.Audit and
 * no VM.Monitor (which 9 refuses), 8 gets VM.Monitor; the token then reads guest-agent
 * addresses, and the cluster added with it discovers and starts guests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHostSpecs } from '../../src/lab/hosts/catalog';
import { SimHost } from '../../src/lab/hosts/host';
import { startProxmoxCluster, type ProxmoxClusterHandle } from '../../src/lab/proxmox';
import { pveProfile } from '../../src/lab/proxmox/profile';
import { fakeNodeHost } from '../../src/lab/proxmox/test-kit';
import { createSession, runScript, stderrOf, stdoutOf } from '../../src/lab/shell/interpreter';
import { shellFor } from '../../src/lab/shell/shells';
import { systemClock } from '../../src/main/base/clock';
import { ProxmoxClient } from '../../src/main/drivers/proxmox/client';
import { setupToken, type Exec } from '../../src/main/drivers/proxmox/model/token-setup';
import { openEngine } from './engine-kit';

const plan = { singleAddress: false, firstAddress: '127.0.150.1', basePort: 21500 };
const spec = buildHostSpecs({ count: 1, seed: 5, plan, initialPower: 'on' })[0];

describe.each([
  [9, 'VM.GuestAgent.Audit', 'VM.Monitor'],
  [8, 'VM.Monitor', 'VM.GuestAgent.Audit'],
] as const)('token setup on PVE %i', (version, granted, absent) => {
  let lab: ProxmoxClusterHandle;
  if (!spec) throw new Error('no host spec');
  const host = new SimHost(spec, { seed: 5, authorizedKeys: [], bootDelayMs: 0, suspendDelayMs: 0, tls: () => Promise.reject(new Error('no tls')) });
  /** What the SSH exec does on a Proxmox host: the command through the host's shell, as root. */
  const exec: Exec = async (cmd) => {
    const r = await runScript(cmd, shellFor(host.spec), createSession(host.machine, 'root', false));
    return { code: r.code, stdout: stdoutOf(r), stderr: stderrOf(r) };
  };

  beforeAll(async () => {
    lab = await startProxmoxCluster({ nodes: [fakeNodeHost('pve1')], version, guests: 8, seed: 2, taskDelayMs: 5, authFailDelayMs: 0, certificateKey: 'ec' });
    const v = pveProfile(version).version;
    host.attachPveTools({ pveum: (args) => lab.pveum(args), managerVersion: () => `pve-manager/${v.version}/${v.repoid}` });
  });
  afterAll(async () => {
    await lab?.stop();
  });

  it(`reads the release first and grants ${granted}, never ${absent}`, async () => {
    const ran: string[] = [];
    const r = await setupToken(async (cmd) => (ran.push(cmd), exec(cmd)));
    expect(ran[0]).toBe('pveversion');
    expect(r.version).toBe(pveProfile(version).version.version);
    expect(r.skippedPrivileges).toEqual([]);
    expect(r.privileges).toContain(granted);
    expect(r.privileges).not.toContain(absent);
    expect(r.privileges).not.toContain('Sys.Console');
    expect(ran.some((c) => c.includes(absent))).toBe(false);

    // The token reads a running VM's guest agent (the privilege that needs differs per release) and nothing more.
    const client = new ProxmoxClient({ name: 'lab', url: lab.url, credentials: { kind: 'token', tokenId: r.tokenId, secret: r.secret }, fingerprint: lab.fingerprint, clock: systemClock });
    try {
      const vm = lab
        .vmids()
        .map((v) => lab.guest(v).info())
        .find((g) => g.type === 'qemu' && !g.template && g.status === 'running' && g.qmpstatus === 'running')!;
      lab.guest(vm.vmid).setAgent({ configured: true, running: true });
      const addresses = await client.addresses({ node: vm.node, type: 'qemu', vmid: vm.vmid, running: true });
      expect(addresses.map((a) => a.source)).toContain('agent');
      for (const a of addresses) expect(a.address).toMatch(/^127\./);
      await expect(client.api.put('/cluster/ha/resources/vm%3A100', (await import('zod')).z.unknown(), { state: 'stopped' })).rejects.toMatchObject({ kind: 'permission' });
    } finally {
      client.close();
    }

    // The cluster added with it: discovery and a guest action work.
    const env = openEngine();
    try {
      const { report } = await env.client.proxmox.addCluster({ name: 'lab', url: lab.url, token: `${r.tokenId}=${r.secret}`, fingerprint: lab.fingerprint });
      expect(report).toMatchObject({ ok: true, guests: 8 });
      expect((await env.client.proxmox.clusters({}))[0]?.version).toBe(pveProfile(version).version.version);
    } finally {
      env.close();
    }
  });
});
