import './wake-proxy.css';
import { useWakeProxyCounts } from './wake-proxy-store';

/**
 * On a card: the connections wake on demand carries to this server right now (spliced, and held
 * while it wakes). Nothing for a server without listeners, so most cards stay quiet.
 */
export function CardProxyCount({ serverId }: { serverId: string }) {
  const c = useWakeProxyCounts(serverId);
  if (!c) return null;
  const title = `Wake on demand: ${c.active} connection(s) through ${c.listeners} listener(s)${c.waiting ? `, ${c.waiting} waiting for it to wake` : ''}`;
  return (
    <span className="proxy-count" data-testid="proxy-count" data-active={c.active} data-waiting={c.waiting} title={title}>
      <svg width="12" height="12" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
        <path d="M4 8h13l-3-3M20 16H7l3 3" />
      </svg>
      <span className="mono">{c.active}</span>
      {c.waiting > 0 && <span className="proxy-waiting">+{c.waiting} waking</span>}
    </span>
  );
}
