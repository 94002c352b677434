/**
 * Issue 15, the pure parts: what real Proxmox VE 9.1 and 8.4 servers send and what Rackdeck
 * decides from it, without a socket. Addresses here (fe80::, 169.254.x) are strings in answers
 * written by the test; nothing is sent to them.
 */
import { describe, expect, it } from 'vitest';
import { consoleAvailability } from '../../src/shared/contract/consoles';
import { serverInputSchema, serverPatchSchema } from '../../src/shared/server';
import { addressesFromAgent, addressesFromLxc } from '../../src/main/drivers/proxmox/addresses';
import { encodeParams } from '../../src/main/drivers/proxmox/api';
import { bulkRequest } from '../../src/main/drivers/proxmox/bulk';
import { isReachableGuestAddress } from '../../src/main/drivers/proxmox/model/addresses';
import { backupStorages, lastBackups, readVolid } from '../../src/main/drivers/proxmox/model/backups';
import { errorFromResponse } from '../../src/main/drivers/proxmox/model/errors';
import { withRunInfo, runInfoOf, qemuListEntrySchema } from '../../src/main/drivers/proxmox/model/guest-lists';
import { pickHaTask } from '../../src/main/drivers/proxmox/model/ha';
import { reportList } from '../../src/main/drivers/proxmox/model/report';
import { agentPrivileges, planTokenSetup, pveMajor, setupToken } from '../../src/main/drivers/proxmox/model/token-setup';
import { readResources } from '../../src/main/drivers/proxmox/resources';
import { taskFromListEntry } from '../../src/main/drivers/proxmox/tasks';
import { backupView } from '../../src/main/proxmox/backup-watch';
import { bulkStep } from '../../src/main/proxmox/bulk-plan';
import { consoleRefusal } from '../../src/main/proxmox/console-auth';
import { fittingAction } from '../../src/main/proxmox/guest-ops';
import { haRequestFor } from '../../src/main/proxmox/ha-ops';
import { guestAddress, planInventory } from '../../src/main/proxmox/inventory-map';
import { guestPower } from '../../src/main/proxmox/power-map';
import { keepLastRunState, nodesToAsk } from '../../src/main/proxmox/run-states';
import type { ProxmoxGuestInfo } from '../../src/shared/contract/proxmox';

const vm = (g: Partial<ProxmoxGuestInfo> = {}): ProxmoxGuestInfo => ({ cluster: 'lab', id: 'qemu/100', type: 'qemu', vmid: 100, node: 'pve1', name: 'web', status: 'running', template: false, tags: [], ...g });

describe('an unnamed guest has no address, never its node\'s', () => {
  it('reads "VM 200" / "CT201" (or no name at all) as unnamed', () => {
    const r = readResources('lab', [
      { id: 'qemu/200', type: 'qemu', vmid: 200, node: 'pve1', name: 'VM 200', status: 'running' },
      { id: 'lxc/201', type: 'lxc', vmid: '201', node: 'pve1', name: 'CT201', status: 'stopped' },
      { id: 'qemu/202', type: 'qemu', vmid: 202, node: 'pve1', status: 'stopped' },
      { id: 'qemu/203', type: 'qemu', vmid: 203, node: 'pve1', name: 'web-01', status: 'running' },
    ]);
    expect(r.guests.map((g) => [g.vmid, g.name, g.named])).toEqual([
      [200, 'VM 200', false],
      [201, 'CT201', false],
      [202, 'VM 202', false],
      [203, 'web-01', true],
    ]);
  });

  it('plans the inventory: no address for an unnamed VM; one lent by an older version is taken back', () => {
    const nodes = [{ cluster: 'lab', name: 'pve1', status: 'online' as const }];
    const guests = [vm({ id: 'qemu/200', vmid: 200, name: 'VM 200', named: false }), vm({ id: 'lxc/201', type: 'lxc', vmid: 201, name: 'CT201', named: false }), vm({ id: 'qemu/203', vmid: 203, name: 'web-01' })];
    const plan = planInventory({ cluster: 'lab', nodes, guests, nodeIps: new Map([['pve1', '127.0.150.1']]), guestAddresses: new Map(), servers: [], now: 0 });
    const byVmid = new Map(plan.upserts.map((s) => [s.proxmox?.vmid, s]));
    expect(byVmid.get(200)?.address).toBe('');
    expect(byVmid.get(201)?.address).toBe('');
    expect(byVmid.get(203)?.address).toBe('web-01');
    // What older versions wrote (the node's IP, the node's name, "CT201") is not kept; an admin's own address is.
    const nodeAddresses = new Set(['127.0.150.1', 'pve1']);
    expect(guestAddress({ name: 'VM 200', named: false }, { address: '127.0.150.1' }, undefined, nodeAddresses)).toBe('');
    expect(guestAddress({ name: 'VM 200', named: false }, { address: 'pve1' }, undefined, nodeAddresses)).toBe('');
    expect(guestAddress({ name: 'CT201', named: false }, { address: 'CT201' }, undefined, nodeAddresses)).toBe('');
    expect(guestAddress({ name: 'VM 200', named: false }, { address: '127.0.150.9' }, undefined, nodeAddresses)).toBe('127.0.150.9');
    expect(guestAddress({ name: 'VM 200', named: false }, { address: '' }, '127.0.150.7', nodeAddresses)).toBe('127.0.150.7');
    // A VM named like its node would resolve to the node: not an address for it.
    expect(guestAddress({ name: 'pve1' }, undefined, undefined, nodeAddresses)).toBe('');
  });

  it('the schema lets only a discovered guest be without an address, and an edit cannot clear one', () => {
    const guest = { name: 'VM 200', kind: 'vm', address: '', proxmox: { cluster: 'lab', node: 'pve1', type: 'qemu', vmid: 200 } };
    expect(serverInputSchema.safeParse(guest).success).toBe(true);
    const host = serverInputSchema.safeParse({ name: 'nas', address: '' });
    expect(host.success).toBe(false);
    expect(host.error?.issues[0]).toMatchObject({ path: ['address'], message: 'an address is required' });
    expect(serverInputSchema.safeParse({ name: 'nas', address: 'a b' }).error?.issues[0]?.message).toMatch(/^an address is an IPv4 address/);
    expect(serverPatchSchema.safeParse({ address: '' }).success).toBe(false);
    expect(serverPatchSchema.safeParse({ address: '127.0.150.3' }).success).toBe(true);
  });

  it('the server form edits a guest without an address and leaves it without one; a host still needs one', async () => {
    const { emptyValues, parseForm } = await import('../../src/renderer/lib/form-model');
    const guest = parseForm({ ...emptyValues(), name: 'VM 200', kind: 'vm', address: '', notes: 'no agent yet' }, 'edit');
    expect(guest.ok).toBe(true);
    expect(guest.ok && 'address' in guest.spec).toBe(false);
    const typed = parseForm({ ...emptyValues(), name: 'VM 200', kind: 'vm', address: '127.0.150.4' }, 'edit');
    expect(typed.ok && typed.spec.address).toBe('127.0.150.4');
    const host = parseForm({ ...emptyValues(), name: 'nas', kind: 'physical', address: '' }, 'edit');
    expect(host).toMatchObject({ ok: false, errors: { address: 'an address is required' } });
  });

  it('never picks a link-local, loopback, unspecified or multicast address for a guest', () => {
    for (const a of ['fe80::1', 'FE80::be24:11ff:fe2e:c54a%ens18', 'febf::1', '169.254.10.2', '127.0.0.1', '::1', '0.0.0.0', '::', '224.0.0.251', 'ff02::1', '::ffff:169.254.1.1']) expect({ a, ok: isReachableGuestAddress(a) }).toEqual({ a, ok: false });
    for (const a of ['127.0.150.5', '10.0.0.5', '2001:db8::20', 'fd00::5', '::ffff:127.0.150.5']) expect({ a, ok: isReachableGuestAddress(a) }).toEqual({ a, ok: true });
    const agent = addressesFromAgent({
      result: [
        { name: 'ens18', 'hardware-address': 'bc:24:11:2e:c5:4a', 'ip-addresses': [{ 'ip-address': 'fe80::be24:11ff:fe2e:c54a', 'ip-address-type': 'ipv6', prefix: 64 }, { 'ip-address': '169.254.3.3', 'ip-address-type': 'ipv4', prefix: 16 }] },
        { name: 'docker0', 'ip-addresses': [{ 'ip-address': '224.0.0.1', 'ip-address-type': 'ipv4' }] },
      ],
    });
    expect(agent).toEqual([]);
    expect(addressesFromLxc([{ name: 'eth0', hwaddr: 'bc:24:11:aa:bb:cc', inet: '127.0.150.20/8', inet6: 'fe80::1/64' }]).map((a) => a.address)).toEqual(['127.0.150.20']);
  });
});

describe('real answers: parsed, and what cannot be read is reported with its endpoint and field', () => {
  it('strings for numbers, fields missing on stopped guests, status unknown, templates, locks', () => {
    const r = readResources('lab', [
      { id: 'node/pve2', type: 'node', node: 'pve2', status: 'offline' },
      { id: 'qemu/300', type: 'qemu', vmid: '300', node: 'pve2', name: 'db', status: 'unknown', template: 0 },
      { id: 'qemu/301', type: 'qemu', vmid: 301, node: 'pve1', name: 'base', status: 'stopped', template: 1 },
      { id: 'lxc/302', type: 'lxc', vmid: 302, node: 'pve1', name: 'dns', status: 'running', lock: 'backup', maxmem: 'lots', uptime: '4711' },
      { id: 'qemu/303', type: 'qemu', vmid: 303, node: 'pve1', name: 'homecloud', status: 'stopped', lock: 'suspended' },
      { id: 'qemu/x', type: 'qemu', vmid: 'x', node: 'pve1', name: 'odd' },
      { id: 'qemu/304', type: 'qemu', vmid: 304, name: 'lost' },
      'not an object',
    ]);
    expect(r.guests.map((g) => g.vmid)).toEqual([300, 301, 302, 303]);
    expect(guestPower(r.guests[0]!, { status: 'offline' })).toMatchObject({ power: 'unknown' });
    expect(guestPower(r.guests[1]!)).toMatchObject({ power: 'stopped', detail: 'template' });
    expect(r.guests[2]).toMatchObject({ lock: 'backup', uptime: 4711 });
    expect(r.guests[2]).not.toHaveProperty('maxmem');
    expect(guestPower(r.guests[3]!)).toMatchObject({ power: 'suspended' });
    expect(r.rejected).toBe(3);
    const texts = r.issues.map((i) => `${i.endpoint} (${i.entry ?? ''}): ${i.field} ${i.problem}`);
    expect(texts).toContain('GET /cluster/resources (lxc/302): maxmem is not a number: "lots"');
    expect(texts).toContain('GET /cluster/resources (qemu/x): vmid is not a number: "x"');
    expect(texts).toContain('GET /cluster/resources (qemu/x): vmid is missing or not a guest id');
    expect(texts).toContain('GET /cluster/resources (qemu/304): node is missing: the guest names no node');
    expect(texts.some((t) => t.startsWith('GET /cluster/resources (entry 8)'))).toBe(true);
  });

  it('an answer that is not a list is one issue, not an exception', () => {
    expect(reportList(qemuListEntrySchema, { data: 'nope' }, 'GET /nodes/pve1/qemu').issues).toEqual([{ endpoint: 'GET /nodes/pve1/qemu', field: 'data', problem: 'is not a list: {"data":"nope"}' }]);
    expect(reportList(qemuListEntrySchema, null, 'GET /nodes/pve1/qemu')).toEqual({ items: [], issues: [] });
  });

  it('401 with an empty body is wrong credentials, named by the status line', () => {
    expect(errorFromResponse({ status: 401, statusText: 'authentication failure', body: '', request: 'GET /cluster/resources' })).toMatchObject({ kind: 'auth', message: 'Wrong credentials: the cluster answered "authentication failure"' });
    expect(errorFromResponse({ status: 401, statusText: '', body: '' })).toMatchObject({ kind: 'auth' });
    expect(errorFromResponse({ status: 595, statusText: 'No route to host', body: '' })).toMatchObject({ kind: 'unreachable' });
  });
});

describe('paused and hibernated VMs from one refresh', () => {
  it('the node list (qemu?full=1) says which running VMs are paused; PVE 9 adds memhost and pressure', () => {
    const entry = qemuListEntrySchema.parse({ vmid: '100', status: 'running', qmpstatus: 'paused', memhost: 2_000_000_000, pressurememorysome: '12.5', pressurecpusome: 0.3 });
    const paused = withRunInfo(vm(), runInfoOf(entry));
    expect(paused).toMatchObject({ qmpstatus: 'paused', memhost: 2_000_000_000, pressure: { memSome: 12.5, cpuSome: 0.3 } });
    expect(guestPower(paused)).toMatchObject({ power: 'paused' });
    // PVE 8: no pressure figures, nothing made up.
    const eight = withRunInfo(vm(), runInfoOf(qemuListEntrySchema.parse({ vmid: 100, status: 'running', qmpstatus: 'running' })));
    expect(eight).not.toHaveProperty('pressure');
    expect(eight).not.toHaveProperty('memhost');
  });

  it('asks only online nodes that run VMs, and keeps the last run state of a node that did not answer', () => {
    const resources = {
      nodes: [
        { cluster: 'lab', name: 'pve1', status: 'online' as const },
        { cluster: 'lab', name: 'pve2', status: 'online' as const },
        { cluster: 'lab', name: 'pve3', status: 'offline' as const },
      ],
      guests: [vm(), vm({ id: 'qemu/101', vmid: 101, node: 'pve2', status: 'stopped' }), vm({ id: 'lxc/102', type: 'lxc', vmid: 102, node: 'pve2' }), vm({ id: 'qemu/103', vmid: 103, node: 'pve3' })],
    };
    expect(nodesToAsk(resources)).toEqual(['pve1']);
    expect(keepLastRunState(vm(), vm({ qmpstatus: 'paused' }))).toMatchObject({ qmpstatus: 'paused' });
    expect(keepLastRunState(vm(), vm({ status: 'stopped', qmpstatus: 'stopped' }))).not.toHaveProperty('qmpstatus');
  });

  it('a start asked of a paused or hibernated guest is its resume', () => {
    expect(fittingAction('start', { type: 'qemu', status: 'stopped', lock: 'suspended' })).toBe('resume');
    expect(fittingAction('start', { type: 'qemu', status: 'running', qmpstatus: 'paused' })).toBe('resume');
    expect(fittingAction('start', { type: 'qemu', status: 'stopped' })).toBe('start');
    expect(fittingAction('stop', { type: 'qemu', status: 'running', qmpstatus: 'paused' })).toBe('stop');
  });
});

describe('bulk actions', () => {
  it('plans each guest like the bulk worker: skips running, templates, locked; resumes paused and hibernated', () => {
    const step = (g: Partial<ProxmoxGuestInfo>, action: 'start' | 'shutdown' | 'suspend' = 'start', options = {}) => bulkStep(action, vm(g), true, options);
    expect(step({ status: 'stopped' })).toEqual({ action: 'start' });
    expect(step({})).toEqual({ skip: 'already running' });
    expect(step({ qmpstatus: 'paused' })).toEqual({ action: 'resume' });
    expect(step({ status: 'stopped', lock: 'suspended' })).toEqual({ action: 'resume' });
    expect(step({ status: 'stopped', template: true })).toEqual({ skip: 'a template does not run' });
    expect(step({ status: 'stopped', lock: 'backup' })).toEqual({ skip: 'locked (backup)' });
    expect(bulkStep('start', vm({ status: 'stopped' }), false)).toEqual({ skip: 'its node is not online' });
    expect(step({}, 'shutdown')).toEqual({ action: 'shutdown' });
    expect(step({ qmpstatus: 'paused' }, 'shutdown')).toMatchObject({ skip: expect.stringMatching(/paused/) });
    expect(step({ qmpstatus: 'paused' }, 'shutdown', { forceStop: true })).toEqual({ action: 'stop' });
    expect(step({ type: 'lxc' }, 'suspend')).toEqual({ skip: 'only VMs can be suspended' });
    expect(step({}, 'suspend', { toDisk: true })).toEqual({ action: 'hibernate' });
  });

  it('sends vms as the repeated field, and never an empty list (that would act on every guest)', () => {
    const { path, params } = bulkRequest('start', [100, 101], { maxWorkers: 100 });
    expect(path).toBe('/cluster/bulk-action/guest/start');
    expect(encodeParams(params).toString()).toBe('vms=100&vms=101&max-workers=64');
    expect(encodeParams(bulkRequest('shutdown', [7], { forceStop: false, timeout: 30 }).params).toString()).toBe('vms=7&timeout=30&force-stop=0');
    expect(() => bulkRequest('start', [])).toThrow(/at least one guest/);
  });
});

describe('HA-managed guests', () => {
  it('start and stop go through HA; pause, reboot and an ignored resource do not', () => {
    const ha = { type: 'qemu' as const, status: 'running', hastate: 'started' };
    expect(haRequestFor('stop', ha)).toBe('stopped');
    expect(haRequestFor('shutdown', ha)).toBe('stopped');
    expect(haRequestFor('start', { ...ha, status: 'stopped', hastate: 'stopped' })).toBe('started');
    expect(haRequestFor('resume', { ...ha, status: 'stopped', lock: 'suspended' })).toBe('started');
    expect(haRequestFor('pause', ha)).toBeUndefined();
    expect(haRequestFor('reboot', ha)).toBeUndefined();
    expect(haRequestFor('stop', { ...ha, hastate: 'ignored' })).toBeUndefined();
    expect(haRequestFor('stop', { ...ha, hastate: undefined })).toBeUndefined();
    expect(haRequestFor('stop', { ...ha, hastate: 'started', haManaged: false })).toBeUndefined();
  });

  it('finds the resource manager\'s task by UPID, not by clock', () => {
    const t = (upid: string, type: string, status: 'running' | 'stopped' = 'stopped') => ({ upid, node: 'pve1', type, id: '100', user: 'root@pam', starttime: 1, status, outcome: status === 'running' ? ('running' as const) : ('ok' as const) });
    const ref = { node: 'pve1', type: 'qemu' as const, vmid: 100 };
    const before = new Set(['UPID:old-shutdown']);
    expect(pickHaTask([t('UPID:old-shutdown', 'qmshutdown'), t('UPID:new', 'qmshutdown'), t('UPID:ha', 'hastop')], ref, 'stopped', before)?.upid).toBe('UPID:new');
    expect(pickHaTask([t('UPID:old-shutdown', 'qmshutdown')], ref, 'stopped', before)).toBeUndefined();
    expect(pickHaTask([t('UPID:old-shutdown', 'qmshutdown', 'running')], ref, 'stopped', before)?.upid).toBe('UPID:old-shutdown');
    expect(pickHaTask([t('UPID:new', 'qmstart')], ref, 'stopped', before)).toBeUndefined();
  });
});

describe('backups', () => {
  it('the last successful backup per guest, from volumes (PVE and PBS names) and OK vzdump tasks', () => {
    expect(readVolid('nas:backup/vzdump-qemu-100-2025_10_01-02_00_05.vma.zst')).toEqual({ vmid: 100, at: Date.UTC(2025, 9, 1, 2, 0, 5) / 1000 });
    expect(readVolid('pbs:backup/ct/101/2025-10-02T02:00:05Z')).toEqual({ vmid: 101, at: Date.UTC(2025, 9, 2, 2, 0, 5) / 1000 });
    expect(readVolid('local:iso/debian.iso')).toBeUndefined();
    const task = (id: string, status: string, endtime: number) => taskFromListEntry({ upid: `UPID:pve1:0000AAAA:00000001:00000001:vzdump:${id}:root@pam:`, node: 'pve1', type: 'vzdump', id, user: 'root@pam', starttime: endtime - 60, endtime, status, pid: undefined, pstart: undefined }, 'pve1');
    const last = lastBackups(
      [
        { volid: 'nas:backup/vzdump-qemu-100-2025_10_01-02_00_05.vma.zst', vmid: 100, ctime: 1000, content: 'backup', format: undefined },
        { volid: 'nas:backup/vzdump-lxc-101-2025_10_02-02_00_05.tar.zst', vmid: undefined, ctime: undefined, content: 'backup', format: undefined },
      ],
      [task('100', 'OK', 5000), task('102', 'job errors', 6000), task('', 'OK', 7000)],
    );
    expect(last.get(100)).toEqual({ at: 4940, source: 'task' });
    expect(last.get(101)).toMatchObject({ at: Date.UTC(2025, 9, 2, 2, 0, 5) / 1000, source: 'volume' });
    expect(last.has(102)).toBe(false);
  });

  it('reads each shared backup storage once, and only those with backup content on online nodes', () => {
    const s = (storage: string, node: string, shared: boolean, content: string[], status = 'available') => ({ cluster: 'lab', id: `storage/${node}/${storage}`, storage, node, shared, content, status });
    expect(backupStorages([s('nas', 'pve1', true, ['backup']), s('nas', 'pve2', true, ['backup']), s('local', 'pve1', false, ['iso', 'backup']), s('local', 'pve2', false, ['backup']), s('lvm', 'pve1', false, ['images'])], (n) => n === 'pve1')).toEqual([
      { storage: 'nas', node: 'pve1' },
      { storage: 'local', node: 'pve1' },
    ]);
  });

  it('flags a backup older than the threshold, or none found; says nothing when nothing could be read', () => {
    const scan = { at: 10, last: new Map([[100, { at: 1000, source: 'volume' as const, volid: 'nas:backup/x' }]]), storages: ['nas'] };
    const day = 86_400_000;
    expect(backupView(scan, 100, 1_000_000 + 2 * day, 3 * day)).toMatchObject({ lastOkAt: 1_000_000, stale: false });
    expect(backupView(scan, 100, 1_000_000 + 4 * day, 3 * day)).toMatchObject({ stale: true });
    expect(backupView(scan, 101, 0, 3 * day)).toEqual({ scannedAt: 10, stale: true });
    expect(backupView({ at: 10, last: new Map(), storages: [] }, 101, 0, 3 * day)).toBeUndefined();
    expect(backupView(undefined, 100, 0, 3 * day)).toBeUndefined();
  });
});

describe('token setup and consoles per release', () => {
  it('asks for VM.GuestAgent.Audit on 9 and VM.Monitor on 8, read from pveversion', async () => {
    expect(pveMajor('9.1.2')).toBe(9);
    expect(pveMajor('pve-manager/8.4.1/2a5fa54a (running kernel: 6.8.12-9-pve)')).toBe(8);
    expect(pveMajor('')).toBeUndefined();
    expect(agentPrivileges(9)).toEqual(['VM.GuestAgent.Audit']);
    expect(agentPrivileges(undefined)).toEqual(['VM.Monitor']);
    expect(planTokenSetup({ major: 9 }).privileges).toEqual(expect.arrayContaining(['VM.GuestAgent.Audit', 'VM.PowerMgmt', 'Datastore.Audit']));
    expect(planTokenSetup({ major: 9 }).privileges).not.toContain('VM.Monitor');
    expect(planTokenSetup({ major: 8 }).privileges).toContain('VM.Monitor');
    expect(planTokenSetup({ major: 8 }).privileges).not.toContain('VM.GuestAgent.Audit');
    // Least privilege: no node shells (Sys.Console is root's shell on the node), nothing that changes access.
    for (const major of [8, 9]) for (const p of ['Sys.Console', 'Sys.Modify', 'Permissions.Modify', 'VM.Allocate']) expect(planTokenSetup({ major }).privileges).not.toContain(p);

    const ran: string[] = [];
    const exec = async (cmd: string) => {
      ran.push(cmd);
      if (cmd === 'pveversion') return { code: 0, stdout: 'pve-manager/9.1.2/9a1c5e0f3d6b2f47 (running kernel: 6.17.2-1-pve)\n', stderr: '' };
      if (cmd.startsWith('pveum user token add')) return { code: 0, stdout: '{"full-tokenid":"rackdeck@pve!rackdeck","info":{"privsep":1},"value":"5b3a6c2e-0d1f-4f5a-9c1e-2a7b8c9d0e1f"}\n', stderr: '' };
      return { code: 0, stdout: '', stderr: '' };
    };
    const r = await setupToken(exec);
    expect(r).toMatchObject({ version: '9.1.2', skippedPrivileges: [] });
    expect(ran[0]).toBe('pveversion');
    expect(ran[1]).toContain('VM.GuestAgent.Audit');
    expect(ran[1]).not.toContain('VM.Monitor');
  });

  it('when pveversion cannot be read, a refused VM.Monitor means 9: VM.GuestAgent.Audit is granted instead', async () => {
    const exec = async (cmd: string) => {
      if (cmd === 'pveversion') return { code: 127, stdout: '', stderr: 'pveversion: command not found\n' };
      if (cmd.startsWith('pveum role add') && cmd.includes('VM.Monitor')) return { code: 255, stdout: '', stderr: "400 Parameter verification failed.\nprivs: invalid format - invalid privilege 'VM.Monitor'\n" };
      if (cmd.startsWith('pveum user token add')) return { code: 0, stdout: '{"full-tokenid":"rackdeck@pve!rackdeck","info":{"privsep":1},"value":"5b3a6c2e-0d1f-4f5a-9c1e-2a7b8c9d0e1f"}\n', stderr: '' };
      return { code: 0, stdout: '', stderr: '' };
    };
    const r = await setupToken(exec);
    expect(r.skippedPrivileges).toEqual(['VM.Monitor']);
    expect(r.privileges).toContain('VM.GuestAgent.Audit');
    expect(r.privileges).not.toContain('VM.Monitor');
  });

  it('a token cluster on 8 gets no console but the fix; on 9, or with a console login, it does', () => {
    const token = { name: 'lab', auth: 'token' as const };
    expect(consoleRefusal(token, '8.4.1')).toMatch(/Proxmox VE 8\.4\.1 does not accept API tokens on consoles.*Console login/);
    expect(consoleRefusal(token, '9.1.2')).toBeUndefined();
    expect(consoleRefusal(token, undefined)).toBeUndefined();
    expect(consoleRefusal({ ...token, consoleUser: 'root@pam' }, '8.4.1')).toBeUndefined();
    expect(consoleRefusal({ name: 'lab', auth: 'ticket' }, '8.4.1')).toBeUndefined();
    const reason = consoleRefusal(token, '8.4.1');
    const kinds = consoleAvailability({ id: 'vm', kind: 'vm', proxmox: { cluster: 'lab', node: 'pve1', type: 'qemu', vmid: 100, consoleRefusal: reason } }).kinds;
    expect(kinds.vnc).toEqual({ available: false, reason });
    expect(kinds.stats.available).toBe(true);
    const node = consoleAvailability({ id: 'n', kind: 'proxmox-node', proxmox: { cluster: 'lab', node: 'pve1', consoleRefusal: reason } }).kinds;
    expect(node['proxmox-term']).toEqual({ available: false, reason });
  });
});
