/** /version and /access: version info, ticket login and renewal. */
import { ApiError } from '../errors';
import { PVE_VERSION } from '../node-views';
import { capabilities } from '../permissions';
import type { Router } from '../router';

export function registerAccess(router: Router): void {
  router.add('GET /version', () => ({ ...PVE_VERSION, console: 'xtermjs' }));

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
      // Verification of a console ticket for a path (how termproxy checks its clients).
      const ok = state.auth.verifyVncTicket(password, username, params.path, state.settings.consoleTicketLifetimeMs);
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
}
