import { useMemo } from 'react';
import { useRackdeck } from '../../store';
import { Icon } from '../Icon';
import { namesKeys, useGroupFilter } from './filter-store';
import './groups.css';

const split = (key: string): string[] => (key === '' ? [] : key.split('\u0000'));

/**
 * Above the grid: a chip per group and per Proxmox tag (a click filters the grid by it), "New
 * group", and, while a group or tag is chosen, the bulk actions on what the filter shows.
 */
export function GroupFilterBar() {
  // Names change only with the inventory's shape: not read from every server at every patch.
  const shape = useRackdeck((s) => s.shape);
  const [groups, tags] = useMemo(() => {
    const keys = namesKeys(useRackdeck.getState().servers);
    return [split(keys.groups), split(keys.tags)];
    // `shape` stands for every server's groups and tags: the memo's real input.
  }, [shape]);
  const group = useGroupFilter((f) => f.group);
  const tag = useGroupFilter((f) => f.tag);
  const canEdit = useRackdeck((s) => s.loaded && s.connection.state === 'open' && Object.keys(s.servers).length > 0);
  if (!canEdit && groups.length === 0 && tags.length === 0) return null;
  const f = useGroupFilter.getState;
  const target = { ...(group !== null ? { group } : {}), ...(tag !== null ? { tag } : {}) };
  return (
    <nav className="group-bar" aria-label="Groups and tags" data-testid="group-bar">
      {groups.length > 0 && <span className="group-bar-label">Groups</span>}
      {groups.map((g) => (
        <button key={`g-${g}`} type="button" className="group-chip" data-testid="group-chip" data-group={g} aria-pressed={group === g} onClick={() => f().setGroup(g)}>
          {g}
        </button>
      ))}
      {tags.length > 0 && <span className="group-bar-label">Tags</span>}
      {tags.map((t) => (
        <button key={`t-${t}`} type="button" className="group-chip tag-chip" data-testid="tag-chip" data-tag={t} aria-pressed={tag === t} onClick={() => f().setTag(t)}>
          #{t}
        </button>
      ))}
      {canEdit && (
        <button type="button" className="btn btn-ghost group-new" data-testid="new-group" onClick={() => f().edit(true)}>
          <Icon name="plus" size={14} /> New group
        </button>
      )}
      {(group !== null || tag !== null) && (
        <span className="group-bulk" data-testid="group-bulk">
          <button type="button" className="btn" data-testid="bulk-wake" onClick={() => f().askBulk({ action: 'wake', ...target })}>
            Wake all
          </button>
          <button type="button" className="btn" data-testid="bulk-suspend" onClick={() => f().askBulk({ action: 'suspend', ...target })}>
            Suspend all
          </button>
          <button type="button" className="btn" data-testid="bulk-shutdown" onClick={() => f().askBulk({ action: 'shutdown', ...target })}>
            Shut down all
          </button>
        </span>
      )}
    </nav>
  );
}
