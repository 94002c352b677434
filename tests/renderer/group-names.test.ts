import { describe, expect, it } from 'vitest';
import { namesKeys } from '../../src/renderer/components/groups/filter-store';
import { fakeServer } from '../e2e/harness/fake-engine';

describe("the group bar's names (groups/filter-store.ts)", () => {
  it('lists every group and every Proxmox tag once, sorted, from one pass over the servers', () => {
    const px = fakeServer(2, 0).proxmox;
    const servers = Object.fromEntries(
      [
        fakeServer(0, 0, { groups: ['media', 'backup'] }),
        fakeServer(1, 0, { groups: ['backup'] }),
        fakeServer(2, 0, { proxmox: { ...px, vmid: 101, node: 'pve', tags: ['prod', 'db'] } as NonNullable<typeof px> }),
        fakeServer(3, 0),
      ].map((s) => [s.id, s]),
    );
    expect(namesKeys(servers)).toEqual({ groups: 'backup\u0000media', tags: 'db\u0000prod' });
    expect(namesKeys({})).toEqual({ groups: '', tags: '' });
  });
});
