import type { Handlers } from '../../shared/contract';
import type { CallContext } from '../ipc/router';
import type { Engine } from './engine';

export function serverHandlers(engine: Engine): Handlers<CallContext>['servers'] {
  return {
    snapshot: async () => engine.snapshot(),
    add: async (input) => engine.addServer(input),
    edit: async ({ id, patch }) => engine.editServer(id, patch),
    remove: async ({ id }) => ({ removed: engine.removeServer(id) }),
    refresh: async ({ id }) => engine.refresh(id),
    rejected: async () => ({ servers: engine.rejected() }),
  };
}
