import { useEffect, useState } from 'react';
import { useTimeText } from '../hooks/useNow';
import { useRackdeck } from '../store';
import { Icon } from './Icon';

function retryText(retryAt: number | undefined, now: number): string {
  if (retryAt === undefined) return '';
  const s = Math.ceil((retryAt - now) / 1000);
  return s > 0 ? `Retrying in ${s} s.` : 'Retrying…';
}

/**
 * Says plainly when the engine cannot be reached or refused the token. Once the link has been
 * down it stays up through the reconnect attempts, so it does not flicker between tries.
 */
export function ConnectionBanner() {
  const connection = useRackdeck((s) => s.connection);
  const loaded = useRackdeck((s) => s.loaded);
  const [wasDown, setWasDown] = useState(false);
  useEffect(() => {
    if (connection.state === 'closed' || connection.state === 'unauthorized') setWasDown(true);
    if (connection.state === 'open') setWasDown(false);
  }, [connection.state]);
  const retry = useTimeText((now) => retryText(connection.retryAt, now));

  if (connection.state === 'open' || (connection.state === 'connecting' && !wasDown)) return null;
  const unauthorized = connection.state === 'unauthorized';
  const title = unauthorized
    ? 'Access refused'
    : connection.state === 'connecting'
      ? 'Reconnecting to Rackdeck…'
      : loaded
        ? 'Connection lost'
        : 'Rackdeck is not reachable';
  const reason = connection.state === 'connecting' ? undefined : connection.reason;
  return (
    <div className="banner" role="alert" data-testid="connection-banner" data-state={connection.state} data-level={unauthorized ? 'error' : 'warning'}>
      <Icon name={unauthorized ? 'lock' : 'plug'} size={18} />
      <p>
        <strong>{title}</strong>
        {reason && <span> {reason}</span>}
        {connection.state === 'closed' && retry && <span className="banner-retry"> {retry}</span>}
        {loaded && !unauthorized && <span className="banner-stale"> The cards show the last known state.</span>}
      </p>
    </div>
  );
}
