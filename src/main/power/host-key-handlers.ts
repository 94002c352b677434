import type { Handlers } from '../../shared/contract';
import type { Engine } from '../inventory/engine';
import type { CallContext } from '../ipc/router';
import type { PowerController } from './controller';

/** The `hostKeys` channels: thin calls into power's host keys, the server resolved by id or name. */
export function hostKeyHandlers(engine: Engine, power: PowerController): Handlers<CallContext>['hostKeys'] {
  return {
    check: async ({ id }) => power.hostKeys.check(engine.get(id)),
    trust: async ({ id, fingerprint, firstUse }) => power.hostKeys.trust(engine.get(id), { fingerprint, firstUse }),
  };
}
