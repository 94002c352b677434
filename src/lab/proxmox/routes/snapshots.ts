/** Snapshot list, create, rollback and delete for QEMU and LXC guests. */
import type { Router } from '../router';
import { createSnapshot, deleteSnapshot, listSnapshots, requireSnapshot, rollbackSnapshot, snapshotConfig } from '../snapshots';
import { guestOf } from './guests';

export function registerSnapshots(router: Router): void {
  for (const type of ['qemu', 'lxc'] as const) {
    const base = `/nodes/{node}/${type}/{vmid}/snapshot`;
    router.add(`GET ${base}`, (ctx) => listSnapshots(ctx.state, guestOf(ctx, type)));

    router.add(`POST ${base}`, (ctx) =>
      createSnapshot(
        { state: ctx.state, guest: guestOf(ctx, type), principal: ctx.principal },
        ctx.params.snapname ?? '',
        ctx.params.description ?? '',
        ctx.params.vmstate === '1',
      ),
    );

    router.add(`GET ${base}/{snapname}`, (ctx) => {
      requireSnapshot(guestOf(ctx, type), ctx.params.snapname ?? '');
      return [{ cmd: 'rollback' }, { cmd: 'config' }];
    });

    router.add(`GET ${base}/{snapname}/config`, (ctx) => snapshotConfig(ctx.state, guestOf(ctx, type), ctx.params.snapname ?? ''));

    router.add(`POST ${base}/{snapname}/rollback`, (ctx) =>
      rollbackSnapshot(
        { state: ctx.state, guest: guestOf(ctx, type), principal: ctx.principal },
        ctx.params.snapname ?? '',
        ctx.params.start === '1',
      ),
    );

    router.add(`DELETE ${base}/{snapname}`, (ctx) =>
      deleteSnapshot({ state: ctx.state, guest: guestOf(ctx, type), principal: ctx.principal }, ctx.params.snapname ?? ''),
    );
  }
}
