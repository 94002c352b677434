import type { Handlers } from '../../shared/contract';
import type { CallContext } from '../ipc/router';
import type { MonitoringService } from './service';

/** metrics.*, alerts.*, actions.* (issue 6): three groups from one capability. */
export function monitoringHandlers(svc: MonitoringService): Pick<Handlers<CallContext>, 'metrics' | 'alerts' | 'actions'> {
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
      ack: async ({ id }) => svc.ack(id),
      ackAll: async ({ serverId }) => ({ acknowledged: svc.ackAll(serverId) }),
      rules: async () => svc.alertConfig(),
      setRules: async ({ rules }) => svc.setRules(rules),
      setChannels: async (input) => svc.setChannels(input),
      testChannel: ({ channel }) => svc.testChannel(channel),
    },
    actions: {
      log: (filter) => svc.actions(filter),
      csv: (filter) => svc.actionsCsv(filter),
    },
  };
}
