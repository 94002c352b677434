/**
 * /access/roles and /access/acl: roles with the privileges of this release (a role naming a
 * privilege the release does not have — VM.Monitor on PVE 9 — fails the schema's pve-priv-list
 * check with a 400 before it gets here), and ACL entries granting them.
 */
import { splitList } from '../access-control';
import type { Router } from '../router';

export function registerRoles(router: Router): void {
  router.add('GET /access/roles', ({ state }) =>
    [...state.access.roles.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([roleid, role]) => ({ roleid, privs: [...role.privs].sort().join(','), special: role.special ? 1 : 0 })),
  );

  router.add('POST /access/roles', ({ state, params }) => {
    state.access.createRole(params.roleid ?? '', splitList(params.privs));
    return null;
  });

  router.add('GET /access/roles/{roleid}', ({ state, params }) => {
    const role = state.access.requireRole(params.roleid ?? '');
    return Object.fromEntries([...role.privs].sort().map((p) => [p, 1]));
  });

  router.add('PUT /access/roles/{roleid}', ({ state, params }) => {
    state.access.updateRole(params.roleid ?? '', params.privs === undefined ? undefined : splitList(params.privs), params.append === '1');
    return null;
  });

  router.add('DELETE /access/roles/{roleid}', ({ state, params }) => {
    state.access.deleteRole(params.roleid ?? '');
    return null;
  });

  router.add('GET /access/acl', ({ state }) =>
    state.access.acl.map((e) => ({ path: e.path, type: e.type, ugid: e.ugid, roleid: e.roleid, propagate: e.propagate ? 1 : 0 })),
  );

  router.add('PUT /access/acl', ({ state, params }) => {
    state.access.modify({
      path: params.path ?? '',
      roles: splitList(params.roles),
      users: splitList(params.users),
      tokens: splitList(params.tokens),
      groups: splitList(params.groups),
      propagate: params.propagate !== '0',
      remove: params.delete === '1',
    });
    return null;
  });
}
