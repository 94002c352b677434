/** /version and /access: version info, ticket login and renewal, console-ticket checks. */
import { splitList } from '../access-control';
import type { ClusterState } from '../cluster-state';
import { ApiError } from '../errors';
import { capabilities } from '../permissions';
import type { Router } from '../router';

function consoleTicketValid(state: ClusterState, authid: string, ticket: string, path: string, privs: string | undefined): boolean {
  if (!state.auth.verifyVncTicket(ticket, authid, path, state.settings.consoleTicketLifetimeMs)) return false;
  const held = state.auth.privilegesOf(authid);
  return splitList(privs).every((p) => held.has(p));
}

export function registerAccess(router: Router): void {
  router.add('GET /version', ({ state }) => ({ ...state.profile.version, console: 'xtermjs' }));

  router.add('GET /access', () => [
    { subdir: 'ticket' },
    { subdir: 'users' },
    { subdir: 'groups' },
    { subdir: 'roles' },
    { subdir: 'acl' },
    { subdir: 'domains' },
    { subdir: 'permissions' },
  ]);

  // A dummy for formatters that render a login page.
  router.add('GET /access/ticket', () => null);

  router.add('POST /access/ticket', ({ state, params }) => {
    const realm = params.realm;
    const raw = params.username ?? '';
    const username = raw.includes('@') || !realm ? raw : `${raw}@${realm}`;
    const password = params.password ?? '';
    if (params.path !== undefined) {
      // Verification of a console ticket for a path (how PVE 8's termproxy checks its clients).
      // The user name must be a user: a token id ("user@realm!name") fails here.
      const ok = !username.includes('!') && consoleTicketValid(state, username, password, params.path, params.privs);
      if (!ok) throw new ApiError(401, 'authentication failure\n');
      return { username };
    }
    const session = state.auth.login(username, password);
    return {
      username: session.username,
      ticket: session.ticket,
      CSRFPreventionToken: session.csrf,
      clustername: state.settings.clusterName,
      cap: capabilities(session.privileges),
    };
  });

  // PVE 9: what termproxy --vncticket-endpoint asks; authid may be a user or an API token.
  router.add('POST /access/vncticket', ({ state, params }) => {
    const ok = consoleTicketValid(state, params.authid ?? '', params.vncticket ?? '', params.path ?? '', params.privs);
    if (!ok) throw new ApiError(401, 'authentication failure\n');
    return null;
  });
}
