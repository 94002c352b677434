import { POWER_LABELS } from '../shared/power';
import { useRackdeck } from './store';

export function App() {
  const servers = useRackdeck((s) => s.servers);
  const loaded = useRackdeck((s) => s.loaded);
  const connection = useRackdeck((s) => s.connection);
  return (
    <main>
      <h1>Rackdeck</h1>
      {connection.state !== 'open' && <div role="alert">{connection.reason ?? connection.state}</div>}
      {!loaded ? <p>Loading…</p> : null}
      <ul>
        {Object.values(servers).map((s) => (
          <li key={s.id} data-testid={`card-${s.id}`} data-power={s.power}>
            {s.name} {POWER_LABELS[s.power]}
          </li>
        ))}
      </ul>
    </main>
  );
}
