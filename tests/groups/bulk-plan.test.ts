import { describe, expect, it } from 'vitest';
import { planBulk, selectTarget, type PlanWorld } from '../../src/main/power/bulk-plan';
import { capabilitiesOf } from '../../src/main/power/capabilities';
import { guestCapabilities, isProxmoxGuest } from '../../src/main/power/guests';
import { groupsView, withGroup, withoutGroup } from '../../src/main/inventory/groups';
import type { PowerState } from '../../src/shared/power';
import { serverInputSchema, type ServerConfig, type ServerInput } from '../../src/shared/server';

const MAC = (n: number) => `52:54:00:00:00:${n.toString(16).padStart(2, '0')}`;
let seq = 0;
function server(name: string, extra: Partial<ServerInput> = {}): ServerConfig {
  return { ...serverInputSchema.parse({ name, address: `127.0.170.${++seq}`, mac: MAC(seq), ssh: { user: 'root' }, ...extra }), id: name, createdAt: 0 };
}

function world(servers: ServerConfig[], power: Record<string, PowerState>, tags: Record<string, string[]> = {}): PlanWorld {
  return {
    servers,
    powerOf: (id) => power[id] ?? 'off',
    capabilities: (s) => (isProxmoxGuest(s) ? guestCapabilities(s) : capabilitiesOf(s)),
    tagsOf: (id) => tags[id] ?? [],
    guestBulk: true,
  };
}

describe('selecting a bulk target', () => {
  const a = server('a', { groups: ['rack1', 'nas'] });
  const b = server('b', { groups: ['rack1'] });
  const c = server('c');
  const w = world([a, b, c], {}, { c: ['media'], b: ['media'] });
  it('takes the members of a group, of a tag, and of both', () => {
    expect(selectTarget(w, { group: 'rack1' }).members.map((s) => s.id)).toEqual(['a', 'b']);
    expect(selectTarget(w, { tag: 'media' }).members.map((s) => s.id)).toEqual(['b', 'c']);
    expect(selectTarget(w, { group: 'rack1', tag: 'media' }).members.map((s) => s.id)).toEqual(['b']);
  });
  it('names the refs that match no server, by id or name', () => {
    expect(selectTarget(w, { servers: ['A', 'zz'] })).toMatchObject({ members: [{ id: 'a' }], unknown: ['zz'] });
  });
  it('lists groups and tags with their members; adds and removes without duplicates', () => {
    expect(groupsView([a, b, c], (id) => (id === 'c' ? ['media'] : []))).toEqual({
      groups: [{ name: 'nas', members: ['a'] }, { name: 'rack1', members: ['a', 'b'] }],
      tags: [{ name: 'media', members: ['c'] }],
    });
    const g = ['x'];
    expect(withGroup(g, 'x')).toBe(g);
    expect(withGroup(undefined, 'y')).toEqual(['y']);
    expect(withoutGroup(g, 'x')).toEqual([]);
    expect(withoutGroup(g, 'z')).toBe(g);
  });
});

describe('the bulk plan', () => {
  it('staggers wakes by the delay, parents first, and adds a sleeping parent the selection needs', () => {
    const rack = server('rack');
    const child1 = server('child1', { parentId: 'rack', groups: ['g'] });
    const solo = server('solo', { groups: ['g'] });
    const child2 = server('child2', { parentId: 'rack', groups: ['g'] });
    const w = world([child1, solo, child2, rack], { rack: 'suspended', child1: 'off', solo: 'off', child2: 'off' });
    const plan = planBulk(w, selectTarget(w, { group: 'g' }).members, 'wake', 2000);
    expect(plan.steps.map((s) => [s.serverId, s.offsetMs])).toEqual([['solo', 0], ['rack', 2000], ['child1', 4000], ['child2', 6000]]);
    expect(plan.steps[1]).toMatchObject({ addedFor: 'child1', via: 'host' });
    expect(plan).toMatchObject({ selected: 3, spacingMs: 2000, skipped: [] });
  });

  it('skips what is already on or on its way, what cannot wake, and a child whose parent cannot be woken, saying why', () => {
    const up = server('up');
    const busy = server('busy');
    const nomac = server('nomac', { mac: undefined });
    const deadParent = server('dead', { mac: undefined });
    const orphan = server('orphan', { parentId: 'dead' });
    const ok = server('ok');
    const all = [up, busy, nomac, deadParent, orphan, ok];
    const w = world(all, { up: 'on', busy: 'waking', nomac: 'off', dead: 'off', orphan: 'off', ok: 'off' });
    const plan = planBulk(w, [up, busy, nomac, orphan, ok], 'wake', 500);
    expect(plan.steps.map((s) => s.serverId)).toEqual(['ok']);
    expect(Object.fromEntries(plan.skipped.map((s) => [s.serverId, s.reason]))).toEqual({
      up: 'it is already on',
      busy: 'it is already waking',
      nomac: 'it has no valid MAC address or wake command',
      orphan: 'its parent dead is off and cannot be woken',
    });
  });

  it('does not add a parent that is already waking: the child waits for it on its own', () => {
    const p = server('p');
    const c = server('c', { parentId: 'p' });
    const plan = planBulk(world([p, c], { p: 'waking', c: 'off' }), [c], 'wake', 1000);
    expect(plan.steps.map((s) => s.serverId)).toEqual(['c']);
  });

  it('powers down children first, the parent after them, unstaggered; never a parent whose running children stay up', () => {
    const host = server('host', { groups: ['lab'] });
    const kid = server('kid', { parentId: 'host', groups: ['lab'] });
    const other = server('other', { groups: ['lab'] });
    const keeper = server('keeper');
    const left = server('left', { parentId: 'keeper' });
    const all = [host, kid, other, keeper, left];
    const w = world(all, { host: 'on', kid: 'on', other: 'on', keeper: 'on', left: 'on' });
    const plan = planBulk(w, [host, kid, other, keeper], 'suspend', 2000);
    expect(plan.steps.map((s) => [s.serverId, s.offsetMs])).toEqual([['kid', 0], ['host', 0], ['other', 0]]);
    expect(plan.steps.find((s) => s.serverId === 'host')?.after).toEqual(['kid']);
    expect(plan.spacingMs).toBe(0);
    expect(plan.skipped).toEqual([{ serverId: 'keeper', name: 'keeper', reason: expect.stringContaining('still runs left') }]);
  });

  it('skips a parent once its child is skipped, since the child would go down with it', () => {
    const top = server('top');
    const mid = server('mid', { parentId: 'top', ssh: undefined });
    const plan = planBulk(world([top, mid], { top: 'on', mid: 'on' }), [top, mid], 'shutdown', 0);
    expect(plan.steps).toEqual([]);
    expect(plan.skipped.map((s) => s.serverId).sort()).toEqual(['mid', 'top']);
  });

  it("puts Proxmox guests whose node stays up in their cluster's bulk call, and a guest of a node it wakes after the node", () => {
    const node = server('node', { kind: 'proxmox-node' });
    const vm1 = server('vm1', { kind: 'vm', address: '', mac: undefined, ssh: undefined, parentId: 'node', proxmox: { cluster: 'c', node: 'pve', type: 'qemu', vmid: 101 } });
    const sleepy = server('sleepy', { kind: 'proxmox-node' });
    const vm2 = server('vm2', { kind: 'lxc', address: '', mac: undefined, ssh: undefined, parentId: 'sleepy', proxmox: { cluster: 'c', node: 'pve2', type: 'lxc', vmid: 102 } });
    const w = world([node, vm1, sleepy, vm2], { node: 'on', vm1: 'stopped', sleepy: 'off', vm2: 'stopped' });
    const plan = planBulk(w, [vm1, vm2], 'wake', 1000);
    expect(plan.steps.map((s) => [s.serverId, s.via, s.offsetMs])).toEqual([['vm1', 'proxmox', 0], ['sleepy', 'host', 0], ['vm2', 'host', 1000]]);
  });
});
