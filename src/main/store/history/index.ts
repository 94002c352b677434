/**
 * Metrics history, power-change log, uptime and action log. How the engine wires it:
 *   const history = await HistoryStore.open({ dir: path.join(home, 'history'), clock, logger });
 *   metrics loop:  history.record(id, toSample(clock.now(), readings, previousReadings))
 *   power changes: history.recordPower(id, at, state)          (every observed state; only changes are kept)
 *   actions/tasks: history.logAction({ at, kind, action, serverId, serverName, face, result, detail })
 *   charts:        history.query(id, range)                     → MetricSeries (shared/metrics.ts)
 *   inventory:     history.removeServer(id) when a server is deleted
 *   recoveries:    history.recoveries → a notice for each file set aside
 *   quit:          await history.close()
 */
export { HistoryStore, type HistoryRecovery } from './store';
export type { Series, TierSpec } from './tiers';
export { accountUptime } from './uptime';
