import type { Handlers } from '../../shared/contract';
import type { CallContext } from '../ipc/router';
import type { MonitoringService } from './service';

/** metrics.*, alerts.*, actions.* (issue 6): three groups from one capability. */
export function monitoringHandlers(svc: MonitoringService): Pick<Handlers<CallContext>, 'metrics' | 'alerts' | 'actions' | 'channels' | 'alertPolicy'> {
  return {
    metrics: {
      series: ({ id, range }) => svc.series(id, range),
      latest: ({ ids }) => svc.latest(ids),
      services: ({ id, refresh }) => svc.services(id, refresh ?? false),
      uptime: ({ id }) => svc.uptime(id),
      settings: async () => svc.settingsView(),
      setSettings: async (patch) => svc.updateSettings(patch),
    },
    alerts: {
      list: async (filter) => svc.listAlerts(filter),
      ack: async ({ id, note }) => svc.ack(id, note),
      ackAll: async ({ serverId }) => ({ acknowledged: svc.ackAll(serverId) }),
      rules: async () => svc.alertConfig(),
      setRules: async ({ rules }) => svc.setRules(rules),
      setChannels: async (input) => svc.setChannels(input),
      testChannel: ({ channel }) => svc.testChannel(channel),
    },
    channels: {
      list: async () => svc.channels(),
      save: async (input) => svc.saveChannel(input),
      remove: async ({ id }) => ({ removed: svc.removeChannel(id) }),
      test: ({ id }) => svc.sendTest(id),
    },
    alertPolicy: {
      get: async () => svc.alertPolicy(),
      set: async (patch) => svc.setAlertPolicy(patch),
    },
    actions: {
      log: (filter) => svc.actions(filter),
      csv: (filter) => svc.actionsCsv(filter),
    },
  };
}
