import { describe, expect, it } from 'vitest';
import { addressesFromAgent, addressesFromConfig, addressesFromLxc } from '../../src/main/drivers/proxmox/addresses';
import { reverseLookup } from '../../src/main/drivers/proxmox/model/addresses';
import { parseTokenSpec } from '../../src/main/drivers/proxmox/model/credentials';
import { errorFromResponse, errorFromTransport, parsePermission } from '../../src/main/drivers/proxmox/model/errors';
import { judgeCertificate, normalizeBaseUrl, normalizeFingerprint } from '../../src/main/drivers/proxmox/model/endpoints';
import { guestStatusSchema, parseList, snapshotSchema, taskListEntrySchema } from '../../src/main/drivers/proxmox/model/parse';
import { readResources } from '../../src/main/drivers/proxmox/resources';
import { buildSnapshotTree } from '../../src/main/drivers/proxmox/snapshots';
import { formatUpid, outcomeOf, parseUpid, taskFromListEntry } from '../../src/main/drivers/proxmox/tasks';

describe('tolerant parsing of /cluster/resources', () => {
  it('reads 8.x entries as sent', () => {
    const r = readResources('lab', [
      { id: 'node/pve1', type: 'node', node: 'pve1', status: 'online', cpu: 0.1, maxcpu: 8, mem: 1, maxmem: 2, uptime: 100, level: '' },
      { id: 'qemu/100', type: 'qemu', vmid: 100, node: 'pve1', name: 'web', status: 'running', template: 0, tags: 'prod;web', hastate: 'started', maxmem: 2048 },
      { id: 'storage/pve1/local', type: 'storage', node: 'pve1', storage: 'local', status: 'available', plugintype: 'dir', shared: 0, content: 'iso,vztmpl', disk: 10, maxdisk: 100 },
    ]);
    expect(r.nodes).toEqual([expect.objectContaining({ name: 'pve1', status: 'online', maxcpu: 8 })]);
    expect(r.guests[0]).toMatchObject({ id: 'qemu/100', type: 'qemu', vmid: 100, name: 'web', tags: ['prod', 'web'], template: false, hastate: 'started' });
    expect(r.storage[0]).toMatchObject({ storage: 'local', content: ['iso', 'vztmpl'], used: 10, total: 100, shared: false });
    expect(r.rejected).toBe(0);
  });

  it('accepts 7.x-style variants: numbers as strings, "1" booleans, comma tags, missing type and vmid, extra fields', () => {
    const r = readResources('lab', [
      { id: 'lxc/101', node: 'pve2', name: 'db', status: 'stopped', template: '1', tags: 'db,prod', maxmem: '536870912', cpu: '0', uptime: '0', 'new-field': { x: 1 } },
      { id: 'qemu/102', type: 'qemu', vmid: '102', node: 'pve1', status: 'running', template: true, tags: 'a b', disk: null, netin: 'n/a' },
      { id: 'node/pve2', node: 'pve2', status: 'offline' },
    ]);
    const ct = r.guests.find((g) => g.vmid === 101);
    expect(ct).toMatchObject({ type: 'lxc', template: true, tags: ['db', 'prod'], maxmem: 536870912, cpu: 0, uptime: 0 });
    expect(ct).not.toHaveProperty('new-field');
    const vm = r.guests.find((g) => g.vmid === 102);
    // No name: a readable one is made up; null and garbage numbers read as absent, not as 0.
    expect(vm).toMatchObject({ name: 'VM 102', template: true, tags: ['a', 'b'] });
    expect(vm).not.toHaveProperty('disk');
    expect(vm).not.toHaveProperty('netin');
    expect(r.nodes).toEqual([expect.objectContaining({ name: 'pve2', status: 'offline' })]);
  });

  it('skips an unreadable entry and counts it, keeping the rest', () => {
    const r = readResources('lab', [
      { id: 'qemu/100', type: 'qemu', vmid: 100, node: 'pve1', status: 'running' },
      { id: 'qemu/x', type: 'qemu', node: 'pve1' }, // no vmid anywhere
      'garbage',
      { id: 'pool/p', type: 'pool' }, // not ours, not an error
    ]);
    expect(r.guests.map((g) => g.vmid)).toEqual([100]);
    expect(r.rejected).toBe(2);
  });

  it('reads status/current with 0/1 and string numbers', () => {
    const s = guestStatusSchema.parse({ vmid: '100', status: 'running', qmpstatus: 'paused', agent: '1', template: '', uptime: '42', ha: { managed: 1, state: 'started' }, extra: true });
    expect(s).toMatchObject({ vmid: 100, status: 'running', qmpstatus: 'paused', agent: true, template: false, uptime: 42, ha: { managed: true, state: 'started' } });
  });
});

describe('errors name their cause', () => {
  it('parses a missing privilege from the message', () => {
    expect(parsePermission('Permission check failed (/vms/100, VM.PowerMgmt)')).toEqual({ path: '/vms/100', privilege: 'VM.PowerMgmt' });
    const e = errorFromResponse({ status: 403, statusText: 'Permission check failed (/vms/100, VM.PowerMgmt)', body: { data: null } });
    expect(e.kind).toBe('permission');
    expect(e.permission).toEqual({ path: '/vms/100', privilege: 'VM.PowerMgmt' });
    expect(e.message).toBe('Missing privilege VM.PowerMgmt on /vms/100');
  });

  it('reads the reason from the status line when the body has none (401, empty body)', () => {
    const e = errorFromResponse({ status: 401, statusText: 'authentication failure', body: '' });
    expect(e.kind).toBe('auth');
    expect(e.message).toContain('authentication failure');
  });

  it('prefers the body message, trimmed', () => {
    const e = errorFromResponse({ status: 500, statusText: 'ignored', body: { data: null, message: "Configuration file 'nodes/pve1/qemu-server/999.conf' does not exist\n" } });
    expect(e.kind).toBe('not_found');
    expect(e.message).toBe("Configuration file 'nodes/pve1/qemu-server/999.conf' does not exist");
  });

  it('knows not running, parameter errors, unknown task, not implemented', () => {
    expect(errorFromResponse({ status: 500, statusText: 'VM 100 not running' }).kind).toBe('not_running');
    const p = errorFromResponse({ status: 400, statusText: 'Parameter verification failed.', body: { data: null, errors: { snapname: 'invalid format' } } });
    expect(p.kind).toBe('parameter');
    expect(p.errors).toEqual({ snapname: 'invalid format' });
    expect(p.message).toContain('snapname: invalid format');
    expect(errorFromResponse({ status: 400, body: { data: null, errors: { upid: 'no such task' } } }).kind).toBe('not_found');
    expect(errorFromResponse({ status: 501, statusText: "Method 'GET /x' not implemented" }).kind).toBe('not_implemented');
    expect(errorFromResponse({ status: 502 }).message).toBe('HTTP 502');
  });

  it('calls socket failures unreachable and timeouts timeout', () => {
    expect(errorFromTransport(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8006'), { code: 'ECONNREFUSED' })).kind).toBe('unreachable');
    expect(errorFromTransport(Object.assign(new Error('timeout of 100ms exceeded'), { code: 'ECONNABORTED' })).kind).toBe('timeout');
  });
});

describe('UPIDs and task results', () => {
  const upid = 'UPID:pve1:0003D849:1E87611C:6B069B90:qmstart:102:root@pam!rackdeck:';

  it('parses and formats back to the same string (the trailing colon belongs to it)', () => {
    const u = parseUpid(upid);
    expect(u).toEqual({ node: 'pve1', pid: 0x3d849, pstart: 0x1e87611c, starttime: 0x6b069b90, type: 'qmstart', id: '102', user: 'root@pam!rackdeck' });
    expect(formatUpid(u!)).toBe(upid);
    expect(parseUpid(upid.slice(0, -1))).toBeUndefined();
    expect(parseUpid('UPID:pve1:xyz')).toBeUndefined();
  });

  it('accepts a 9-digit pstart and an empty id', () => {
    expect(parseUpid('UPID:pve:00001234:123456789:6B069B90:vzdump::root@pam:')).toMatchObject({ pstart: 0x123456789, id: '' });
  });

  it('classifies exit statuses', () => {
    expect(outcomeOf('running', undefined)).toBe('running');
    expect(outcomeOf('stopped', 'OK')).toBe('ok');
    expect(outcomeOf('stopped', 'WARNINGS: 2')).toBe('warnings');
    expect(outcomeOf('stopped', 'command failed: exit code 1')).toBe('error');
  });

  it('reads task list entries: running ones have no status, ended ones carry the result in it', () => {
    const { items } = parseList(taskListEntrySchema, [
      { upid, starttime: '1700000000' },
      { upid, starttime: 1700000000, endtime: 1700000005, status: 'unexpected status' },
    ]);
    expect(taskFromListEntry(items[0]!, 'pve1')).toMatchObject({ status: 'running', outcome: 'running', type: 'qmstart', starttime: 1700000000 });
    expect(taskFromListEntry(items[1]!, 'pve1')).toMatchObject({ status: 'stopped', outcome: 'error', exitstatus: 'unexpected status' });
  });
});

describe('snapshot tree', () => {
  it('puts each snapshot under its parent and "current" under the one it derives from', () => {
    const { items } = parseList(snapshotSchema, [
      { name: 'base', snaptime: 100, description: 'clean', vmstate: 0 },
      { name: 'upgrade', snaptime: 200, description: '', parent: 'base', vmstate: 1 },
      { name: 'branch', snaptime: 300, description: '', parent: 'base' },
      { name: 'current', description: 'You are here!', parent: 'upgrade', running: 1, digest: 'abc' },
    ]);
    const tree = buildSnapshotTree(items);
    expect(tree.currentParent).toBe('upgrade');
    expect(tree.running).toBe(true);
    expect(tree.roots.map((r) => r.name)).toEqual(['base']);
    const base = tree.roots[0]!;
    expect(base.children.map((c) => c.name)).toEqual(['upgrade', 'branch']);
    expect(base.children[0]!.vmstate).toBe(true);
    expect(base.children[0]!.children).toEqual([expect.objectContaining({ name: 'current', current: true })]);
    expect(tree.list.map((s) => s.name)).toEqual(['base', 'upgrade', 'branch']);
  });

  it('survives a missing parent and a parent cycle without losing a snapshot', () => {
    const { items } = parseList(snapshotSchema, [
      { name: 'orphan', snaptime: 1, parent: 'deleted-long-ago' },
      { name: 'a', snaptime: 2, parent: 'b' },
      { name: 'b', snaptime: 3, parent: 'a' },
      { name: 'current', description: 'You are here!' },
    ]);
    const tree = buildSnapshotTree(items);
    const all: string[] = [];
    const walk = (ns: typeof tree.roots) => ns.forEach((n) => (all.push(n.name), walk(n.children)));
    walk(tree.roots);
    expect(all.sort()).toEqual(['a', 'b', 'current', 'orphan']);
  });
});

describe('addresses', () => {
  it('reads the guest agent, skipping loopback and link-local', () => {
    const list = addressesFromAgent({
      result: [
        { name: 'lo', 'hardware-address': '00:00:00:00:00:00', 'ip-addresses': [{ 'ip-address': '127.0.0.1', 'ip-address-type': 'ipv4', prefix: 8 }] },
        {
          name: 'ens18',
          'hardware-address': 'bc:24:11:2e:c5:4a',
          'ip-addresses': [
            { 'ip-address': '192.168.1.20', 'ip-address-type': 'ipv4', prefix: 24 },
            { 'ip-address': 'fe80::1', 'ip-address-type': 'ipv6', prefix: 64 },
            { 'ip-address': '2001:db8::20', 'ip-address-type': 'ipv6', prefix: '64' },
          ],
        },
      ],
    });
    expect(list).toEqual([
      { address: '192.168.1.20', family: 'ipv4', prefix: 24, interface: 'ens18', mac: 'bc:24:11:2e:c5:4a', source: 'agent' },
      { address: '2001:db8::20', family: 'ipv6', prefix: 64, interface: 'ens18', mac: 'bc:24:11:2e:c5:4a', source: 'agent' },
    ]);
  });

  it('reads LXC interfaces (inet and ip-addresses), and null for a stopped container', () => {
    expect(addressesFromLxc(null)).toEqual([]);
    const list = addressesFromLxc([
      { name: 'lo', inet: '127.0.0.1/8', hwaddr: '00:00:00:00:00:00' },
      { name: 'eth0', hwaddr: 'bc:24:11:aa:bb:cc', inet: '10.0.0.5/24', 'ip-addresses': [{ 'ip-address': '10.0.0.5', 'ip-address-type': 'inet', prefix: 24 }, { 'ip-address': 'fd00::5', 'ip-address-type': 'inet6', prefix: 64 }] },
    ]);
    expect(list.map((a) => `${a.address}/${a.prefix} ${a.family}`)).toEqual(['10.0.0.5/24 ipv4', 'fd00::5/64 ipv6']);
  });

  it('falls back to the config: LXC ip=, skipping dhcp; QEMU MAC and cloud-init ipconfig', () => {
    expect(addressesFromConfig({ net0: 'name=eth0,bridge=vmbr0,hwaddr=BC:24:11:00:00:01,ip=192.168.1.5/24,gw=192.168.1.1,type=veth', net1: 'name=eth1,bridge=vmbr1,ip=dhcp,ip6=auto' })).toEqual([
      { address: '192.168.1.5', family: 'ipv4', prefix: 24, interface: 'eth0', mac: 'BC:24:11:00:00:01', source: 'config' },
    ]);
    expect(addressesFromConfig({ net0: 'virtio=BC:24:11:2E:C5:4A,bridge=vmbr0', ipconfig0: 'ip=10.1.1.9/24,gw=10.1.1.1' })).toEqual([
      { address: '10.1.1.9', family: 'ipv4', prefix: 24, mac: 'BC:24:11:2E:C5:4A', source: 'config' },
    ]);
  });

  it('finds a guest by IP, by hostname (FQDN or short) and by name or vmid', () => {
    const guests = [
      { id: 'qemu/100', vmid: 100, name: 'web' },
      { id: 'lxc/101', vmid: 101, name: 'db' },
    ];
    const addrs = new Map([['lxc/101', [{ address: '10.0.0.5', family: 'ipv4' as const, source: 'lxc' as const }]]]);
    expect(reverseLookup(guests, addrs, { ip: '10.0.0.5' })?.vmid).toBe(101);
    expect(reverseLookup(guests, addrs, { hostname: 'web.lan.example.' })?.vmid).toBe(100);
    expect(reverseLookup(guests, addrs, { name: 'DB' })?.vmid).toBe(101);
    expect(reverseLookup(guests, addrs, { name: '100' })?.vmid).toBe(100);
    expect(reverseLookup(guests, addrs, { ip: '10.9.9.9' })).toBeUndefined();
  });
});

describe('connection settings', () => {
  it('splits a token on the last "=" and checks its parts', () => {
    expect(parseTokenSpec('rackdeck@pve!rd=0c2ef0c4-6f4f-4c4f-8b8c-5d0e4c7a1b2c')).toEqual({ tokenId: 'rackdeck@pve!rd', secret: '0c2ef0c4-6f4f-4c4f-8b8c-5d0e4c7a1b2c' });
    expect(() => parseTokenSpec('rackdeck@pve=abc')).toThrow(/USER@REALM!TOKENID/);
    expect(() => parseTokenSpec('root@pam!x=')).toThrow();
  });

  it('normalises fingerprints and URLs, refusing plain http', () => {
    const hex = 'ab'.repeat(32);
    expect(normalizeFingerprint(`sha256:${hex}`)).toBe(Array(32).fill('AB').join(':'));
    expect(() => normalizeFingerprint('AB:CD')).toThrow();
    expect(normalizeBaseUrl('pve.lan')).toBe('https://pve.lan:8006');
    expect(normalizeBaseUrl('https://10.0.0.2:8006/api2/json/')).toBe('https://10.0.0.2:8006');
    expect(() => normalizeBaseUrl('http://pve.lan:8006')).toThrow(/https/);
  });

  it('trusts a pinned certificate only when it is the pinned one, and a CA-signed one only without a pin', () => {
    const a = Array(32).fill('AA').join(':');
    const b = Array(32).fill('BB').join(':');
    expect(judgeCertificate({ authorized: false, fingerprint: a, pinned: a, host: 'h' })).toBeNull();
    expect(judgeCertificate({ authorized: true, fingerprint: b, pinned: a, host: 'h' })).toMatchObject({ kind: 'certificate_mismatch', fingerprint: b, expectedFingerprint: a });
    expect(judgeCertificate({ authorized: true, fingerprint: a, host: 'h' })).toBeNull();
    const untrusted = judgeCertificate({ authorized: false, authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT', fingerprint: a, host: 'h' });
    expect(untrusted).toMatchObject({ kind: 'certificate_untrusted', fingerprint: a });
    expect(untrusted?.message).toContain(a);
  });
});
