import type { Handlers } from '../../shared/contract';
import type { BulkSettings } from '../../shared/contract/groups';
import type { ServerConfig } from '../../shared/server';
import { notFound } from '../base/errors';
import type { Engine } from '../inventory/engine';
import { groupsView, withGroup, withoutGroup } from '../inventory/groups';
import { findServer } from '../inventory/inventory';
import type { CallContext } from '../ipc/router';
import type { BulkRunner } from './bulk-runner';

/** A server's Proxmox tags, from what the last discovery saw. */
export const tagsFrom = (engine: Pick<Engine, 'view'>) => (id: string): readonly string[] => engine.view(id)?.proxmox?.tags ?? [];

export function groupsHandlers(engine: Engine): Handlers<CallContext>['groups'] {
  const view = () => groupsView(engine.servers(), tagsFrom(engine));
  /** Every ref resolved before anything changes, so a typo changes nothing. */
  const resolve = (refs: readonly string[]): ServerConfig[] =>
    refs.map((ref) => {
      const s = findServer(engine.servers(), ref);
      if (!s) throw notFound(`Server "${ref}"`);
      return s;
    });
  const change = (servers: readonly ServerConfig[], next: (groups: readonly string[] | undefined) => readonly string[]): void => {
    for (const s of servers) {
      const groups = next(s.groups);
      if (groups !== (s.groups ?? [])) engine.editServer(s.id, { groups: [...groups] });
    }
  };
  return {
    list: async () => view(),
    add: async ({ group, servers }) => {
      change(resolve(servers), (g) => withGroup(g, group));
      return view();
    },
    remove: async ({ group, servers }) => {
      const members = servers ? resolve(servers) : engine.servers().filter((s) => s.groups?.includes(group));
      if (!servers && members.length === 0) throw notFound(`Group "${group}"`);
      change(members, (g) => withoutGroup(g, group));
      return view();
    },
  };
}

export function bulkHandlers(engine: Engine, runner: BulkRunner): Handlers<CallContext>['bulk'] {
  const settings = (): BulkSettings => engine.settings.bulk;
  return {
    plan: async ({ action, target, spacingMs }) => runner.plan(action, target, spacingMs),
    run: async ({ action, target, spacingMs }) => runner.start(action, target, spacingMs),
    cancel: async ({ id }) => runner.cancel(id),
    wait: async ({ id }) => runner.wait(id),
    runs: async () => runner.list(),
    settings: async () => settings(),
    setSettings: async ({ wakeSpacingMs }) => {
      engine.updateSettings({ bulk: { ...engine.settings.bulk, wakeSpacingMs } });
      return settings();
    },
  };
}
