import { useEffect, useState } from 'react';
import type { SetAsideServer } from '../../shared/contract/servers';
import { useClient } from '../hooks/useClient';
import { useRackdeck } from '../store';
import { Icon } from './Icon';

/**
 * Server entries of config.json the engine could not load and set aside (a port of 99999, a
 * name used twice), with why and the file that keeps each as written. Asked for whenever the
 * link opens and whenever a notice arrives, so a page opened long after the engine started (the
 * web face) still says it: a notice sent at start-up reached nobody.
 */
export function SetAsideBanner() {
  const client = useClient();
  const open = useRackdeck((s) => s.connection.state === 'open');
  const notices = useRackdeck((s) => s.notices.length);
  const [servers, setServers] = useState<SetAsideServer[]>([]);
  const [hidden, setHidden] = useState(false);
  useEffect(() => {
    if (!open) return;
    let live = true;
    client.servers.rejected({}).then(
      (r) => live && setServers(r.servers),
      () => undefined, // an older engine, or the link went down: the next open asks again
    );
    return () => {
      live = false;
    };
  }, [client, open, notices]);

  if (hidden || servers.length === 0) return null;
  return (
    <div className="banner" role="alert" data-testid="set-aside-banner" data-level="error">
      <Icon name="alert" size={18} />
      <div>
        <p>
          <strong>
            {servers.length === 1 ? 'One server entry of config.json was set aside' : `${servers.length} server entries of config.json were set aside`}
          </strong>
          <span> Every other server loaded. Fix each entry and put it back in config.json, or delete the file that keeps it.</span>
        </p>
        <ul>
          {servers.map((s) => (
            <li key={`${s.keptIn}#${s.index}`} data-testid="set-aside-entry">
              <strong>{s.name ?? s.id ?? `entry ${s.index + 1}`}</strong>
              {s.outcome === 'loaded-without-parent' ? ' (loaded, without its parent)' : ''}: {s.reason} <span className="mono">kept in {s.keptIn}</span>
            </li>
          ))}
        </ul>
      </div>
      <button type="button" className="icon-btn" aria-label="Hide until reload" onClick={() => setHidden(true)}>
        <Icon name="close" />
      </button>
    </div>
  );
}
