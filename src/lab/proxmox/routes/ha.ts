/** /cluster/ha: HA resources (list, add, read, update, remove) and the manager's status. */
import { addHaResource, haRequestOf, haResourceEntry, haSid, haStatus, removeHaResource, requestHaState, resolveSid } from '../ha';
import type { HaRequest } from '../model';
import { splitList } from '../access-control';
import { failure } from '../errors';
import type { Router } from '../router';

const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));

export function registerHa(router: Router): void {
  router.add('GET /cluster/ha', () => [{ id: 'status' }, { id: 'resources' }, { id: 'groups' }]);

  router.add('GET /cluster/ha/resources', ({ state, params }) =>
    state
      .sortedGuests()
      .filter((g) => g.ha && (params.type === undefined || (params.type === 'vm') === (g.type === 'qemu')))
      .map((g) => haResourceEntry(state, g)),
  );

  router.add('POST /cluster/ha/resources', ({ state, params }) => {
    const g = resolveSid(state, params.sid ?? '', params.type);
    addHaResource(state, g, {
      request: haRequestOf(params.state),
      maxRestart: num(params.max_restart),
      maxRelocate: num(params.max_relocate),
      ...(params.failback !== undefined ? { failback: params.failback === '1' } : {}),
      ...(params.comment !== undefined ? { comment: params.comment } : {}),
      ...(params.group !== undefined ? { group: params.group } : {}),
    });
    return null;
  });

  router.add('GET /cluster/ha/resources/{sid}', ({ state, params }) => {
    const g = resolveSid(state, params.sid ?? '');
    if (!g.ha) throw notManaged(haSid(g));
    return haResourceEntry(state, g);
  });

  router.add('PUT /cluster/ha/resources/{sid}', ({ state, params }) => {
    const g = resolveSid(state, params.sid ?? '');
    const ha = g.ha;
    if (!ha) throw notManaged(haSid(g));
    for (const key of splitList(params.delete)) {
      if (key === 'comment') ha.comment = undefined;
      if (key === 'group') ha.group = undefined;
      if (key === 'max_restart') ha.maxRestart = 1;
      if (key === 'max_relocate') ha.maxRelocate = 1;
    }
    if (params.comment !== undefined) ha.comment = params.comment;
    if (params.group !== undefined) ha.group = params.group;
    if (params.max_restart !== undefined) ha.maxRestart = Number(params.max_restart);
    if (params.max_relocate !== undefined) ha.maxRelocate = Number(params.max_relocate);
    if (params.failback !== undefined) ha.failback = params.failback === '1';
    state.touch(g);
    if (params.state !== undefined) {
      const request: HaRequest = haRequestOf(params.state);
      requestHaState(state, g, request);
    }
    return null;
  });

  router.add('DELETE /cluster/ha/resources/{sid}', ({ state, params }) => {
    removeHaResource(resolveSid(state, params.sid ?? ''));
    return null;
  });

  router.add('GET /cluster/ha/status/current', ({ state }) => haStatus(state));
}

function notManaged(sid: string): Error {
  return failure(`no such resource '${sid}'`);
}
