import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxmoxClusterHandle } from '../../src/lab/proxmox';
import { runCliIn } from '../cli/run';
import { startLab } from './lab-kit';

/** The CLI of the issue, end to end against the lab: each call is a fresh process-like run on one home. */
let lab: ProxmoxClusterHandle;
let home: string;

async function cli(...argv: string[]) {
  return runCliIn(home, argv);
}

beforeAll(async () => {
  ({ lab } = await startLab({ guests: 10, seed: 21 }));
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-cli-px-'));
});
afterAll(async () => {
  await lab.stop();
  fs.rmSync(home, { recursive: true, force: true });
});

describe('rackdeck proxmox add', () => {
  const token = () => `${lab.credentials.adminToken.tokenId}=${lab.credentials.adminToken.secret}`;

  it('without --fingerprint a self-signed cluster is refused with its fingerprint shown', async () => {
    const r = await cli('proxmox', 'add', 'lab', '--url', lab.url, '--token', token());
    expect(r.code).toBe(1);
    expect(r.err).toContain(`presented fingerprint: ${lab.fingerprint}`);
    expect(r.err).toContain(`--fingerprint ${lab.fingerprint}`);
    expect((await cli('proxmox', 'list', '--json')).out).toBe('[]');
  });

  it('a malformed token is a usage-level error naming the format', async () => {
    const r = await cli('proxmox', 'add', 'lab', '--url', lab.url, '--token', 'root@pam=abc', '--fingerprint', lab.fingerprint);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/USER@REALM!TOKENID/);
  });

  it('with --fingerprint it is added and discovered; the secret is stored encrypted, not in config.json', async () => {
    const r = await cli('proxmox', 'add', 'lab', '--url', lab.url, '--token', token(), '--fingerprint', lab.fingerprint);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Added cluster lab');
    expect(r.out).toMatch(/lab: 2 node\(s\), 10 guest\(s\), \d+ storage pool\(s\)/);
    const files = fs.readdirSync(home, { recursive: true }).map(String);
    for (const f of files) {
      const full = path.join(home, f);
      if (fs.statSync(full).isFile()) expect(fs.readFileSync(full, 'utf8')).not.toContain(lab.credentials.adminToken.secret);
    }
    const list = JSON.parse((await cli('proxmox', 'list', '--json')).out) as { name: string; hasSecret: boolean }[];
    expect(list).toEqual([expect.objectContaining({ name: 'lab', hasSecret: true })]);
  });
});

describe('rackdeck proxmox add --user … --password-stdin (a real process, the password piped in)', () => {
  it('adds a ticket-auth cluster; the password never appears in the files', async () => {
    const own = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-cli-pw-'));
    try {
      const entry = path.resolve(__dirname, '../../src/main/faces/cli/entry.ts');
      const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', entry, 'proxmox', 'add', 'pw', '--url', lab.url, '--user', 'root@pam', '--password-stdin', '--fingerprint', lab.fingerprint, '--home', own], { stdio: ['pipe', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('error', reject);
        child.on('close', (c) => resolve({ code: c, stdout, stderr }));
        child.stdin.end(`${lab.credentials.user.password}\n`);
      });
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(stdout).toContain('Added cluster pw');
      expect(stdout).toContain('user root@pam');
      for (const f of fs.readdirSync(own, { recursive: true }).map(String)) {
        const full = path.join(own, f);
        if (fs.statSync(full).isFile()) expect(fs.readFileSync(full, 'utf8')).not.toContain(lab.credentials.user.password);
      }
    } finally {
      fs.rmSync(own, { recursive: true, force: true });
    }
  });
});

describe('discover, guests, actions, snapshots, tasks', () => {
  it('discover: at most 1 + nodes API requests per refresh, also from a fresh process', async () => {
    lab.resetRequestLog();
    const r = await cli('discover', '--json');
    expect(r.code).toBe(0);
    const [report] = JSON.parse(r.out) as { requests: number; guests: number }[];
    expect(report?.guests).toBe(10);
    // One /cluster/resources, and one VM list per node that runs VMs (which of them are paused).
    const counts = lab.requestCounts();
    expect(counts['GET /cluster/resources']).toBe(1);
    for (const [k, n] of Object.entries(counts)) if (k !== 'GET /cluster/resources') expect({ k, n }).toEqual({ k: expect.stringMatching(/^GET \/nodes\/pve[12]\/qemu$/), n: 1 });
    expect(report?.requests).toBe(lab.requestCount());
    expect(report?.requests).toBeLessThanOrEqual(3);
  });

  it('guests: a table, or JSON', async () => {
    const table = await cli('guests');
    expect(table.out.split('\n')[0]).toMatch(/^NAME\s+VMID\s+TYPE\s+CLUSTER\s+NODE\s+STATE/);
    const guests = JSON.parse((await cli('guests', '--json')).out) as { vmid: number; power: string; type: string; template: boolean; lock?: string }[];
    expect(guests).toHaveLength(10);
  });

  it('start --wait and shutdown --wait follow the task and print the state read back', async () => {
    const guests = JSON.parse((await cli('guests', '--json')).out) as { vmid: number; name: string; power: string; type: string; template: boolean; lock?: string; hastate?: string }[];
    const g = guests.find((x) => x.type === 'qemu' && x.power === 'stopped' && !x.template && !x.lock)!;
    const start = await cli('start', String(g.vmid), '--wait');
    expect(start.err).toBe('');
    expect(start.code).toBe(0);
    expect(start.out).toContain('TASK OK');
    expect(start.out).toMatch(/start \(qmstart\) OK/);
    expect(start.out).toContain('now On');
    const again = await cli('start', g.name);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/start is not available/);
    const shut = await cli('shutdown', g.name, '--wait', '--timeout', '30');
    expect(shut.code).toBe(0);
    expect(shut.out).toMatch(/shutdown \(qmshutdown\) OK/);
    expect(shut.out).toContain('now Stopped');
  });

  it('snapshot create / list / rollback / delete', async () => {
    const guests = JSON.parse((await cli('guests', '--json')).out) as { vmid: number; cluster: string; power: string; type: string; template: boolean; lock?: string }[];
    const g = guests.find((x) => x.type === 'qemu' && x.power === 'on' && !x.template && !x.lock)!;
    const ref = `${g.cluster}/${g.vmid}`;
    const create = await cli('snapshot', 'create', ref, 'cli_snap', '--ram', '--description', 'from the CLI');
    expect(create.code).toBe(0);
    expect(create.out).toMatch(/snapshot cli_snap \(qmsnapshot\) OK/);
    const list = await cli('snapshot', 'list', ref);
    expect(list.out).toMatch(/cli_snap \[RAM\] .* from the CLI/);
    expect(list.out).toMatch(/└ ● current \(you are here\)/);
    expect((await cli('snapshot', 'rollback', ref, 'cli_snap')).code).toBe(0);
    expect((await cli('snapshot', 'delete', ref, 'cli_snap')).code).toBe(0);
    expect((await cli('snapshot', 'list', ref)).out).not.toContain('cli_snap');
  });

  it("tasks <node>: the node's recent tasks; --upid: one task's log", async () => {
    const r = await cli('tasks', 'pve1');
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toMatch(/^STARTED\s+TYPE\s+ID\s+USER\s+STATUS/);
    expect(r.out).toMatch(/qmshutdown/);
    const upid = (JSON.parse((await cli('tasks', 'pve1', '--json')).out) as { upid: string }[])[0]!.upid;
    const one = await cli('tasks', '--upid', upid);
    expect(one.code).toBe(0);
    expect(one.out).toMatch(/TASK (OK|ERROR)/);
  });

  it('proxmox storage and changes', async () => {
    const storage = await cli('proxmox', 'storage');
    expect(storage.out.split('\n')[0]).toMatch(/^CLUSTER\s+NODE\s+STORAGE/);
    expect((await cli('proxmox', 'changes')).code).toBe(0);
  });

  it('an unknown guest is exit code 4 with its name', async () => {
    const r = await cli('stop', 'no-such-guest');
    expect(r.code).toBe(4);
    expect(r.err).toContain('No guest "no-such-guest"');
  });

  it('list shows guests with the state Proxmox reports (a sweep refreshes the cluster)', async () => {
    const servers = JSON.parse((await cli('list', '--json')).out) as { kind: string; power: string; parentId?: string }[];
    const guests = servers.filter((s) => s.kind === 'vm' || s.kind === 'lxc');
    expect(guests).toHaveLength(10);
    expect(guests.every((g) => g.power !== 'unknown' && g.parentId)).toBe(true);
  });

  it('removes the cluster and its servers', async () => {
    const r = await cli('proxmox', 'remove', 'lab');
    expect(r.out).toBe('Removed cluster lab and its 12 discovered server(s).');
    expect((await cli('list', '--json')).out).toBe('[]');
  });
});
