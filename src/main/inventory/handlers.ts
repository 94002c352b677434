import type { Handlers } from '../../shared/contract';
import type { StatusSettings } from '../../shared/contract/servers';
import type { Settings } from '../../shared/settings';
import type { CallContext } from '../ipc/router';
import type { Engine } from './engine';
import { checkLocalCommandEdit } from '../power/local-commands';

const statusSettings = (s: Settings): StatusSettings => ({ statusIntervalMs: s.statusIntervalMs, probeTimeoutMs: s.probeTimeoutMs, probeConcurrency: s.probeConcurrency });

export function serverHandlers(engine: Engine): Handlers<CallContext>['servers'] {
  return {
    snapshot: async () => engine.snapshot(),
    add: async (input, ctx) => {
      checkLocalCommandEdit(ctx, undefined, input.powerControl);
      return engine.addServer(input);
    },
    edit: async ({ id, patch }, ctx) => {
      if (patch.powerControl) checkLocalCommandEdit(ctx, engine.find(id)?.powerControl, patch.powerControl);
      return engine.editServer(id, patch);
    },
    remove: async ({ id }) => ({ removed: engine.removeServer(id) }),
    refresh: async ({ id }) => engine.refresh(id),
    rejected: async () => ({ servers: engine.rejected() }),
    sweep: async () => {
      await engine.sweep();
      return engine.snapshot();
    },
    settings: async () => statusSettings(engine.settings),
    setSettings: async (patch) => {
      const given = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<StatusSettings>;
      return statusSettings(Object.keys(given).length > 0 ? engine.updateSettings(given) : engine.settings);
    },
  };
}
