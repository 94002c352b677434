import type { ServerView } from '../../../shared/server';

/**
 * The `--group`/`--tag` filters of `list` and the power commands. A module of their own, free of
 * the groups contract: `rackdeck list` through a running engine loads no schema library.
 */

/** The filter flags `list` and the power commands take. */
export const FILTER_FLAGS = { group: { type: 'string' }, tag: { type: 'string' } } as const;

/** Whether a server passes `--group` and `--tag` (both, when both are given). */
export function matchesFilter(s: Pick<ServerView, 'groups' | 'proxmox'>, filter: { group?: string | undefined; tag?: string | undefined }): boolean {
  if (filter.group !== undefined && !(s.groups ?? []).includes(filter.group)) return false;
  if (filter.tag !== undefined && !(s.proxmox?.tags ?? []).includes(filter.tag)) return false;
  return true;
}
