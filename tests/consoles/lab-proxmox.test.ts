/**
 * Proxmox consoles against the simulated cluster: a node shell and a container console over
 * termproxy, a VM screen over vncproxy relayed by main (ServerInit and a framebuffer update),
 * a node shell with an API token (PVE 9.1 accepts it), and the refusal of an unpinned certificate.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerConfig } from '../../src/shared/server';
import { startProxmoxCluster, type ProxmoxClusterHandle } from '../../src/lab/proxmox';
import { fakeNodeHost } from '../../src/lab/proxmox/test-kit';
import { systemClock } from '../../src/main/base/clock';
import { memoryLogger } from '../../src/main/base/logger';
import { DriversBackend, type HeldProxmoxTarget } from '../../src/main/consoles/drivers-backend';
import { ProxmoxConsoleAdapter } from '../../src/main/consoles/io/proxmox/proxmox-consoles';
import { SshConsoleAdapter } from '../../src/main/consoles/io/ssh/ssh-consoles';
import { ConsoleManager } from '../../src/main/consoles/manager';
import type { ProxmoxCredentials } from '../../src/main/drivers/proxmox/model/credentials';
import { ProxmoxClient } from '../../src/main/drivers/proxmox/client';
import { Inbox, waitFor } from './kit';

const OWNER = 'window-lab-test';
let lab: ProxmoxClusterHandle;
let ct: ServerConfig;
let vm: ServerConfig;
const node: ServerConfig = { id: 'lab-pve1', name: 'pve1', kind: 'proxmox-node', address: '127.0.0.1', ports: [8006], createdAt: 0, proxmox: { cluster: 'lab', node: 'pve1' } } as ServerConfig;

function setup(options: { credentials?: () => ProxmoxCredentials; fingerprint?: string } = {}) {
  const inbox = new Inbox();
  const servers = [node, ct, vm];
  const backend = new DriversBackend({
    server: (ref) => servers.find((s) => s.id === ref) as ServerConfig,
    sshTarget: () => {
      throw new Error('no ssh here');
    },
    proxmoxTarget: async (server): Promise<HeldProxmoxTarget> => {
      const binding = server.proxmox!;
      const fingerprint = options.fingerprint ?? lab.fingerprint;
      const client = new ProxmoxClient({
        name: 'lab',
        url: lab.url,
        credentials: options.credentials?.() ?? { kind: 'ticket', username: lab.credentials.user.username, password: lab.credentials.user.password },
        fingerprint,
        clock: systemClock,
      });
      return {
        target: { api: client.api, tls: { fingerprint }, node: binding.node, cluster: 'lab', ...(binding.vmid !== undefined && binding.type ? { guest: { type: binding.type, vmid: binding.vmid } } : {}) },
        release: () => client.close(),
      };
    },
    ssh: new SshConsoleAdapter({ clock: systemClock, pinnedKeys: () => ({ get: () => undefined }) }),
    proxmox: new ProxmoxConsoleAdapter({ clock: systemClock }),
  });
  const manager = new ConsoleManager({ clock: systemClock, log: memoryLogger(), backend, events: inbox });
  return { inbox, manager, stop: () => (manager.stop(), backend.close()) };
}

function guestServer(type: 'qemu' | 'lxc'): ServerConfig {
  const g = lab
    .vmids()
    .map((v) => lab.guest(v).info())
    .find((x) => x.type === type && !x.template && x.node === 'pve1');
  if (!g) throw new Error(`the lab has no ${type} on pve1`);
  lab.guest(g.vmid).setStatus('running');
  return { id: `lab-${g.vmid}`, name: g.name, kind: type === 'qemu' ? 'vm' : 'lxc', address: '127.0.0.1', ports: [22], createdAt: 0, proxmox: { cluster: 'lab', node: g.node, type, vmid: g.vmid } } as ServerConfig;
}

beforeAll(async () => {
  lab = await startProxmoxCluster({ nodes: [fakeNodeHost('pve1')], guests: 8, taskDelayMs: 5, authFailDelayMs: 0, seed: 11, certificateKey: 'ec' });
  ct = guestServer('lxc');
  vm = guestServer('qemu');
});

afterAll(async () => {
  await lab?.stop();
});

/** Types a line and waits for `expect` in the output. */
async function run(manager: ConsoleManager, inbox: Inbox, id: string, line: string, expected: RegExp): Promise<void> {
  manager.write(id, Buffer.from(`${line}\r`));
  await waitFor(() => expected.test(inbox.text(id)), `"${line}" to answer ${expected}`);
}

describe('Proxmox shells over termproxy', () => {
  it("opens a node's shell: uname -a, a resize, and a clean close", async () => {
    const { inbox, manager, stop } = setup();
    try {
      const info = await manager.open({ serverId: node.id, kind: 'proxmox-term', owner: OWNER, cols: 90, rows: 30 });
      await run(manager, inbox, info.sessionId, 'uname -a', /Linux pve1 \S+-pve .*GNU\/Linux/);
      await run(manager, inbox, info.sessionId, 'stty size', /30 90/);
      manager.resize(info.sessionId, 132, 43);
      await run(manager, inbox, info.sessionId, 'stty size', /43 132/);
      manager.close(info.sessionId);
      expect(inbox.ends.get(info.sessionId)).toMatchObject({ reason: 'Closed', error: false });
    } finally {
      stop();
    }
  });

  it("opens a container's console and reports when its shell logs out", async () => {
    const { inbox, manager, stop } = setup();
    try {
      const info = await manager.open({ serverId: ct.id, kind: 'proxmox-term', owner: OWNER });
      await run(manager, inbox, info.sessionId, 'uname -a', new RegExp(`Linux ${ct.name} `));
      expect(inbox.text(info.sessionId)).toContain(`${ct.name} console`);
      manager.write(info.sessionId, Buffer.from('exit\r'));
      const end = await waitFor(() => inbox.ends.get(info.sessionId), 'the console to end');
      expect(end).toMatchObject({ error: false, reason: `The shell of ${ct.name} ended` });
    } finally {
      stop();
    }
  });

  it('an API-token cluster gets its shell on PVE 9.1 (termproxy checks tokens through /access/vncticket); 8.x is refused in tests/proxmox/consoles.test.ts', async () => {
    const { inbox, manager, stop } = setup({ credentials: () => ({ kind: 'token', tokenId: lab.credentials.adminToken.tokenId, secret: lab.credentials.adminToken.secret }) });
    try {
      const info = await manager.open({ serverId: node.id, kind: 'proxmox-term', owner: OWNER });
      await run(manager, inbox, info.sessionId, 'uname -a', /Linux pve1 /);
      manager.close(info.sessionId);
      expect(inbox.ends.get(info.sessionId)).toMatchObject({ reason: 'Closed', error: false });
    } finally {
      stop();
    }
  });

  it('refuses a cluster whose certificate is not the pinned one', async () => {
    const wrong = lab.fingerprint.replace(/^[0-9A-F]{2}/, (h) => (h === '00' ? '01' : '00'));
    const { manager, stop } = setup({ fingerprint: wrong });
    try {
      await expect(manager.open({ serverId: node.id, kind: 'proxmox-term', owner: OWNER })).rejects.toMatchObject({ message: expect.stringMatching(/certificate .* has changed/) });
    } finally {
      stop();
    }
  });
});

describe('VM screens over vncproxy', () => {
  it('relays RFB through main: the window gets None security, ServerInit and a frame, never the ticket', async () => {
    const { inbox, manager, stop } = setup();
    try {
      const info = await manager.open({ serverId: vm.id, kind: 'vnc', owner: OWNER });
      const id = info.sessionId;
      let read = 0;
      /** Reads exactly n more bytes of what the window received (and acknowledges them, as noVNC's adapter does). */
      const take = async (n: number): Promise<Buffer> => {
        await waitFor(() => inbox.delivered(id) >= read + n, `${n} bytes of RFB`);
        const out = inbox.bytes(id).subarray(read, read + n);
        read += n;
        manager.ack(id, n);
        return out;
      };
      expect((await take(12)).toString()).toBe('RFB 003.008\n');
      manager.write(id, Buffer.from('RFB 003.008\n'));
      expect([...(await take(2))]).toEqual([1, 1]);
      manager.write(id, Buffer.from([1]));
      expect([...(await take(4))]).toEqual([0, 0, 0, 0]);
      manager.write(id, Buffer.from([1])); // ClientInit, shared
      const init = await take(24);
      const [width, height, bpp] = [init.readUInt16BE(0), init.readUInt16BE(2), init.readUInt8(4)];
      expect([width, height, bpp]).toEqual([640, 400, 32]);
      const name = (await take(init.readUInt32BE(20))).toString();
      expect(name).toBe(vm.name);
      // FramebufferUpdateRequest, not incremental, the whole screen.
      const request = Buffer.alloc(10);
      request.writeUInt8(3, 0);
      request.writeUInt16BE(width, 6);
      request.writeUInt16BE(height, 8);
      manager.write(id, request);
      const head = await take(4 + 12);
      expect(head.readUInt8(0)).toBe(0);
      expect(head.readUInt16BE(2)).toBe(1);
      expect([head.readUInt16BE(8), head.readUInt16BE(10), head.readInt32BE(12)]).toEqual([640, 400, 0]);
      const pixels = await take(640 * 400 * 4);
      // The title bar is drawn in an accent colour, the rest of the screen dark: a real picture.
      const colours = new Set<number>();
      for (let i = 0; i < pixels.length; i += 4 * 97) colours.add(pixels.readUInt32LE(i) & 0xffffff);
      expect(colours.size).toBeGreaterThan(1);
      const all = inbox.bytes(id).toString('latin1');
      expect(all).not.toContain('PVEVNC');
      manager.close(id);
      expect(inbox.ends.get(id)).toMatchObject({ reason: 'Closed' });
    } finally {
      stop();
    }
  });

  it('refuses a screen for a stopped VM with what Proxmox said', async () => {
    lab.guest(vm.proxmox!.vmid!).setStatus('stopped');
    const { manager, stop } = setup();
    try {
      await expect(manager.open({ serverId: vm.id, kind: 'vnc', owner: OWNER })).rejects.toMatchObject({ message: expect.stringMatching(/would not open a console on VM \d+ on pve1: .*not running/) });
    } finally {
      stop();
      lab.guest(vm.proxmox!.vmid!).setStatus('running');
    }
  });
});

describe('live stats from Proxmox', () => {
  it("reads a guest's figures and rates from status/current", async () => {
    const { inbox, manager, stop } = setup();
    try {
      const info = manager.openStats({ serverId: vm.id, owner: OWNER, intervalMs: 1000 });
      const samples = await waitFor(() => ((inbox.samples.get(info.sessionId)?.length ?? 0) >= 2 ? inbox.samples.get(info.sessionId) : undefined), 'two stats samples', 5_000);
      const [first, second] = samples as [NonNullable<(typeof samples)[0]>, NonNullable<(typeof samples)[0]>];
      expect(first).toMatchObject({ source: 'proxmox', status: 'running' });
      expect(first.memLimit).toBeGreaterThan(0);
      expect(first.cpuPercent).toBeGreaterThanOrEqual(0);
      expect(first.netRxRate).toBeUndefined();
      expect(second.netRxRate).toBeGreaterThanOrEqual(0);
      manager.close(info.sessionId);
    } finally {
      stop();
    }
  });
});
