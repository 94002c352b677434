import type { ServerView } from '../../../shared/server';

export function PortsSection({ server: s }: { server: ServerView }) {
  if (s.ports.length === 0) return <p className="muted">No ports are watched.</p>;
  return (
    <ul className="port-list" data-testid="detail-ports">
      {s.ports.map((p) => {
        const open = s.openPorts[String(p)];
        const state = open === undefined ? 'unprobed' : open ? 'open' : 'closed';
        return (
          <li key={p} data-state={state}>
            <span className="port-dot" aria-hidden="true" />
            <span className="mono">{p}</span>
            <span className="port-state">{state === 'unprobed' ? 'not probed yet' : state}</span>
          </li>
        );
      })}
    </ul>
  );
}
