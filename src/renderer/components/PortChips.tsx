import { memo } from 'react';

const SHOWN = 6;

/** The watched ports as chips: green when the last sweep connected, grey when not, hollow when not probed yet. */
export const PortChips = memo(function PortChips({ ports, openPorts }: { ports: readonly number[]; openPorts: Record<string, boolean> }) {
  if (ports.length === 0) return null;
  const shown = ports.slice(0, SHOWN);
  return (
    <ul className="ports" aria-label="Ports">
      {shown.map((p) => {
        const open = openPorts[String(p)];
        const state = open === undefined ? 'unprobed' : open ? 'open' : 'closed';
        return (
          <li key={p} className="port" data-state={state} title={`port ${p}: ${state === 'unprobed' ? 'not probed yet' : state}`}>
            {p}
            <span className="sr-only"> {state === 'unprobed' ? 'not probed yet' : state}</span>
          </li>
        );
      })}
      {ports.length > SHOWN && (
        <li className="port port-more" title={ports.slice(SHOWN).join(', ')}>
          +{ports.length - SHOWN}
        </li>
      )}
    </ul>
  );
});
