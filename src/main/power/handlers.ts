import type { Handlers } from '../../shared/contract';
import type { ServerView } from '../../shared/server';
import type { Engine } from '../inventory/engine';
import { notFound } from '../base/errors';
import type { CallContext } from '../ipc/router';

export function powerHandlers(engine: Engine): Handlers<CallContext>['power'] {
  const viewOf = (id: string): ServerView => {
    const view = engine.view(id);
    if (!view) throw notFound(`Server "${id}"`);
    return view;
  };
  return {
    run: async ({ id, action, confirm }) => viewOf(engine.power.run(id, action, confirm === undefined ? {} : { confirm })),
    setDesired: async ({ id, desired }) => viewOf(engine.power.setDesired(id, desired)),
    acceptHostKey: async ({ id }) => viewOf(engine.power.acceptHostKey(id)),
    wol: async (input) => engine.power.sendWol(input),
    setSecret: async ({ id, name, value }) => viewOf(engine.power.setSecret(id, name, value)),
    init: async ({ id }) => viewOf(await engine.power.initNow(id)),
    useInterface: async ({ id, interface: iface, enableWol }) => viewOf(await engine.power.useInterface(id, iface, enableWol)),
  };
}
