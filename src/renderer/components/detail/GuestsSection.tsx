import { useShallow } from 'zustand/react/shallow';
import type { ServerView } from '../../../shared/server';
import { POWER_TONES } from '../../lib/power-tone';
import { useRackdeck } from '../../store';
import { useUi } from '../../ui-store';
import { StateBadge } from '../StateBadge';

/** The servers that run on this one, each a link to its own details. */
export function GuestsSection({ server }: { server: ServerView }) {
  const guests = useRackdeck(
    useShallow((s) =>
      Object.values(s.servers)
        .filter((v) => v.parentId === server.id)
        .sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true })),
    ),
  );
  return (
    <ul className="guest-list" data-testid="detail-guests">
      {guests.map((g) => (
        <li key={g.id} data-tone={POWER_TONES[g.power]}>
          <button type="button" className="link" onClick={() => useUi.getState().select(g.id)}>
            {g.name}
          </button>
          <StateBadge power={g.power} />
        </li>
      ))}
    </ul>
  );
}
