/**
 * Consoles of a token-only cluster through the whole app, on both releases: PVE 9.1 accepts
 * the API token (a node shell opens); PVE 8.4 does not, and the app says so with the fix
 * instead of a console that fails; with a console login added, 8.4's shell opens too.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxmoxClusterHandle } from '../../src/lab/proxmox';
import { createClient, type RackdeckClient } from '../../src/shared/contract';
import { RackdeckError } from '../../src/shared/ipc';
import { memoryLogger } from '../../src/main/base/logger';
import { localTransport } from '../../src/main/ipc/local-transport';
import { nodeServerId } from '../../src/main/proxmox/inventory-map';
import { createApp, type RackdeckApp } from '../../src/main/root/app';
import { waitFor } from '../consoles/kit';
import { startLab } from './lab-kit';

const OWNER = 'px15-console-test';

describe.each([9, 8] as const)('consoles of a token-only cluster on PVE %i', (version) => {
  let lab: ProxmoxClusterHandle;
  let home: string;
  let app: RackdeckApp;
  let client: RackdeckClient;
  const output = new Map<string, string>();
  const nodeId = nodeServerId('lab', 'pve1');

  beforeAll(async () => {
    ({ lab } = await startLab({ version, guests: 6, seed: 8, certificateKey: 'ec', nodeNames: ['pve1'] }));
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-px15-consoles-'));
    app = createApp({ home, face: 'cli', log: memoryLogger(), probe: async () => ({ openPorts: {} }) });
    client = createClient(localTransport(app, 'cli'));
    app.engine.events.on('console.data', (d) => output.set(d.sessionId, (output.get(d.sessionId) ?? '') + Buffer.from(d.data, 'base64').toString('utf8')));
    const t = lab.credentials.adminToken;
    await client.proxmox.addCluster({ name: 'lab', url: lab.url, token: `${t.tokenId}=${t.secret}`, fingerprint: lab.fingerprint });
  });
  afterAll(async () => {
    await app?.stop();
    await lab?.stop();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  async function shell(): Promise<void> {
    const info = await client.consoles.open({ serverId: nodeId, kind: 'proxmox-term', owner: OWNER, cols: 80, rows: 24 });
    await client.consoles.write({ sessionId: info.sessionId, data: 'uname -a\r', encoding: 'utf8' });
    await waitFor(() => /Linux pve1 /.test(output.get(info.sessionId) ?? ''), 'the shell to answer uname');
    await client.consoles.close({ sessionId: info.sessionId });
  }

  if (version === 9) {
    it('the API token opens a node shell', async () => {
      const [cluster] = await client.proxmox.clusters({});
      expect(cluster?.status.consoleRefusal).toBeUndefined();
      expect((await client.consoles.available({ serverId: nodeId })).kinds['proxmox-term']).toEqual({ available: true });
      await shell();
    });
    return;
  }

  it('says the token is refused, with the fix, and no console is started', async () => {
    const [cluster] = await client.proxmox.clusters({});
    expect(cluster?.status.consoleRefusal).toMatch(/Proxmox VE 8\.4\.\d+ does not accept API tokens on consoles.*Console login/);
    const avail = await client.consoles.available({ serverId: nodeId });
    expect(avail.kinds['proxmox-term']).toEqual({ available: false, reason: cluster?.status.consoleRefusal });
    expect(app.engine.view(nodeId)?.proxmox?.consoleRefusal).toBe(cluster?.status.consoleRefusal);
    lab.resetRequestLog();
    const err = await client.consoles.open({ serverId: nodeId, kind: 'proxmox-term', owner: OWNER }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RackdeckError);
    expect((err as RackdeckError).message).toMatch(/need a user login.*8\.4.*does not accept API tokens/s);
    expect(lab.requestCounts()).not.toHaveProperty('POST /nodes/pve1/termproxy');
  });

  it('a wrong console login is refused and nothing is kept; a right one opens the shell', async () => {
    await expect(client.proxmox.setConsoleLogin({ name: 'lab', username: 'root@pam', password: 'wrong' })).rejects.toThrow(/Wrong credentials/);
    expect((await client.proxmox.clusters({}))[0]?.consoleUser).toBeUndefined();
    const view = await client.proxmox.setConsoleLogin({ name: 'lab', username: 'root@pam', password: lab.credentials.user.password });
    expect(view).toMatchObject({ consoleUser: 'root@pam', auth: 'token' });
    expect(view.status.consoleRefusal).toBeUndefined();
    expect(fs.readFileSync(path.join(home, 'config.json'), 'utf8')).not.toContain(lab.credentials.user.password);
    expect((await client.consoles.available({ serverId: nodeId })).kinds['proxmox-term']).toEqual({ available: true });
    await shell();
    // Removed again: the refusal is back.
    const removed = await client.proxmox.setConsoleLogin({ name: 'lab', username: null });
    expect(removed.consoleUser).toBeUndefined();
    expect(removed.status.consoleRefusal).toMatch(/Console login/);
  });
});
