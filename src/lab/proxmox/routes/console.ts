/**
 * termproxy / vncproxy (ticket and port for a console) and vncwebsocket (the websocket itself;
 * the upgrade is performed by the listener once this handler has accepted the request). The
 * port comes back as a JSON string, as pveproxy sends it (Perl used it as a string first),
 * although the schema says integer.
 */
import { randomBytes } from 'node:crypto';
import type { ConsoleGrant, ConsoleSession } from '../console';
import type { RouteContext, Router } from '../router';
import { guestOf } from './guests';

/** What a vncwebsocket request resolved to, for the listener to upgrade. */
export class WebsocketGrant {
  constructor(
    readonly port: string,
    readonly session: ConsoleSession | undefined,
  ) {}
}

function websocket(ctx: RouteContext, path: string): WebsocketGrant {
  const port = Number(ctx.params.port);
  const session = ctx.services.consoles.verify(port, ctx.params.vncticket ?? '', ctx.principal, path);
  return new WebsocketGrant(String(port), session);
}

function wire(grant: ConsoleGrant): Record<string, unknown> {
  return { ...grant, port: String(grant.port) };
}

export function registerConsole(router: Router): void {
  router.add('POST /nodes/{node}/termproxy', (ctx) =>
    wire(
      ctx.services.consoles.open({
        protocol: 'term',
        node: ctx.state.requireNode(ctx.params.node ?? ''),
        principal: ctx.principal,
        taskType: 'vncshell',
      }),
    ),
  );

  router.add('GET /nodes/{node}/vncwebsocket', (ctx) => websocket(ctx, `/nodes/${ctx.params.node ?? ''}`));

  for (const type of ['qemu', 'lxc'] as const) {
    const base = `/nodes/{node}/${type}/{vmid}`;
    router.add(`POST ${base}/termproxy`, (ctx) => {
      const guest = guestOf(ctx, type);
      return wire(
        ctx.services.consoles.open({
          protocol: 'term',
          node: ctx.state.requireNode(guest.node),
          guest,
          principal: ctx.principal,
          taskType: 'vncproxy',
        }),
      );
    });

    router.add(`POST ${base}/vncproxy`, (ctx) => {
      const guest = guestOf(ctx, type);
      const grant = ctx.services.consoles.open({
        protocol: 'rfb',
        node: ctx.state.requireNode(guest.node),
        guest,
        principal: ctx.principal,
        taskType: 'vncproxy',
      });
      const answer: Record<string, unknown> = { ...wire(grant), cert: ctx.services.certPem() };
      if (type === 'qemu' && ctx.params['generate-password'] === '1') answer.password = randomBytes(6).toString('base64url');
      return answer;
    });

    router.add(`GET ${base}/vncwebsocket`, (ctx) => {
      const guest = guestOf(ctx, type);
      return websocket(ctx, `/vms/${guest.vmid}`);
    });
  }
}
