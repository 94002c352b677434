import type { ActionFilter, ActionInput, ActionLogEntry } from '../../../shared/metrics';
import { toCsv } from './csv';

/** The log of power actions and tasks: newest last, at most `limit` entries, ids never reused. */
export interface ActionLog {
  nextId: number;
  entries: ActionLogEntry[];
}

export const DEFAULT_ACTION_LIMIT = 10_000;

export function emptyActionLog(): ActionLog {
  return { nextId: 1, entries: [] };
}

/** Appends in place and drops the oldest entries past the limit. */
export function appendAction(log: ActionLog, input: ActionInput, limit = DEFAULT_ACTION_LIMIT): ActionLogEntry {
  const entry: ActionLogEntry = { id: log.nextId++, ...input };
  log.entries.push(entry);
  if (log.entries.length > limit) log.entries.splice(0, log.entries.length - limit);
  return entry;
}

/** Entries matching every given criterion, oldest first; `limit` keeps the newest ones. */
export function filterActions(entries: readonly ActionLogEntry[], filter: ActionFilter = {}): ActionLogEntry[] {
  const out = entries.filter(
    (e) =>
      (filter.serverId === undefined || e.serverId === filter.serverId) &&
      (filter.kind === undefined || e.kind === filter.kind) &&
      (filter.since === undefined || e.at >= filter.since) &&
      (filter.until === undefined || e.at < filter.until),
  );
  return filter.limit !== undefined && out.length > filter.limit ? out.slice(out.length - filter.limit) : out;
}

const ACTION_CSV_HEADER = ['id', 'time', 'server_id', 'server', 'kind', 'action', 'face', 'result', 'detail'] as const;

export function actionsToCsv(entries: readonly ActionLogEntry[]): string {
  return toCsv(
    ACTION_CSV_HEADER,
    entries.map((e) => [e.id, new Date(e.at).toISOString(), e.serverId, e.serverName, e.kind, e.action, e.face, e.result, e.detail]),
  );
}
