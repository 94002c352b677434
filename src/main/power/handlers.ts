import type { Handlers } from '../../shared/contract';
import type { ServerView } from '../../shared/server';
import type { Engine } from '../inventory/engine';
import type { PowerController } from './controller';
import { notFound } from '../base/errors';
import type { CallContext } from '../ipc/router';
import { localCommandsView, refuseOverWeb } from './local-commands';

export function powerHandlers(engine: Engine, power: PowerController): Handlers<CallContext>['power'] {
  const viewOf = (id: string): ServerView => {
    const view = engine.view(id);
    if (!view) throw notFound(`Server "${id}"`);
    return view;
  };
  return {
    run: async ({ id, action, confirm }) => {
      await power.prepare(id);
      return viewOf(power.run(id, action, confirm === undefined ? {} : { confirm }));
    },
    setDesired: async ({ id, desired }) => viewOf(power.setDesired(id, desired)),
    cancel: async ({ id }) => viewOf(power.cancel(id)),
    acceptHostKey: async ({ id }) => viewOf(power.acceptHostKey(id)),
    wol: async (input) => power.sendWol(input),
    wait: async ({ id, until }) => {
      const server = engine.get(id);
      if (until === 'sent') {
        await power.sent(server.id);
        return { server: viewOf(server.id) };
      }
      const outcome = await power.waitSettled(server.id);
      return { outcome, server: viewOf(server.id) };
    },
    setSecret: async ({ id, name, value }) => viewOf(power.setSecret(id, name, value)),
    init: async ({ id }) => viewOf(await power.initNow(id)),
    useInterface: async ({ id, interface: iface, enableWol }) => viewOf(await power.useInterface(id, iface, enableWol)),
    localCommands: async (_input, ctx) => localCommandsView(engine.settings.power.allowLocalCommands, ctx),
    setLocalCommands: async ({ allowed }, ctx) => {
      refuseOverWeb(ctx);
      engine.updateSettings({ power: { ...engine.settings.power, allowLocalCommands: allowed } });
      return localCommandsView(engine.settings.power.allowLocalCommands, ctx);
    },
  };
}
