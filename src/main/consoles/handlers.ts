import type { Handlers } from '../../shared/contract';
import { consoleAvailability } from '../../shared/contract/consoles';
import type { ConsoleManager } from './manager';
import type { Engine } from '../inventory/engine';
import type { CallContext } from '../ipc/router';

/** The web face socket a call came on: its sessions close when it closes (RackdeckApp.connectionClosed). */
function connectionOf(ctx: CallContext): string | undefined {
  return ctx.connection || undefined;
}

/** Consoles (issue 7). Input bytes pass straight to the session: never logged, never echoed in an error. */
export function consoleHandlers(engine: Engine, manager: ConsoleManager): Handlers<CallContext>['consoles'] {
  const consoles = () => manager;
  return {
    open: async (input, ctx) => consoles().open({ ...input, connection: connectionOf(ctx) }),
    exec: async (input, ctx) => consoles().exec({ ...input, connection: connectionOf(ctx) }),
    stats: async (input, ctx) => consoles().openStats({ ...input, connection: connectionOf(ctx) }),
    write: async ({ sessionId, data, encoding }) => {
      consoles().write(sessionId, Buffer.from(data, encoding === 'base64' ? 'base64' : 'utf8'));
      return { ok: true };
    },
    resize: async ({ sessionId, cols, rows }) => {
      consoles().resize(sessionId, cols, rows);
      return { ok: true };
    },
    ack: async ({ sessionId, bytes, all }) => {
      consoles().ack(sessionId, bytes, all === true);
      return { ok: true };
    },
    close: async ({ sessionId }) => ({ closed: consoles().close(sessionId) }),
    closeOwner: async ({ owner }) => ({ closed: consoles().closeOwner(owner) }),
    keepalive: async ({ owner }) => ({ sessions: consoles().keepalive(owner) }),
    list: async ({ owner }) => consoles().list(owner),
    // The view, not the config: it carries what the cluster refuses (a token's consoles on PVE 8).
    available: async ({ serverId }) => consoleAvailability(engine.view(serverId) ?? engine.get(serverId)),
  };
}
