import { useEffect, useState } from 'react';
import type { LocalCommandsView } from '../../../shared/contract/power';
import { useClient } from '../../hooks/useClient';

/**
 * Whether commands set to run "here" may run on the Rackdeck machine (off by default). The
 * desktop app offers the switch; over the web face it only says how to change it, since the
 * web face may not.
 */
export function LocalCommandsNote() {
  const client = useClient();
  const [view, setView] = useState<LocalCommandsView | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    const stop = new AbortController();
    client.power.localCommands({}, { signal: stop.signal }).then(setView, () => undefined);
    return () => stop.abort();
  }, [client]);
  if (!view) return null;

  const toggle = (allowed: boolean) => {
    client.power.setLocalCommands({ allowed }).then(
      (next) => {
        setView(next);
        setError(undefined);
      },
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  };

  return (
    <div className="form-note local-commands" data-testid="local-commands" data-allowed={view.allowed}>
      {view.editable ? (
        <label className="switch-row">
          <input type="checkbox" role="switch" checked={view.allowed} data-testid="local-commands-switch" onChange={(e) => toggle(e.target.checked)} />
          <span>
            Allow commands that run here, on this machine <span className="muted"> · for every server; off by default</span>
          </span>
        </label>
      ) : (
        <p className="muted">
          Commands that run <strong>here</strong> are {view.allowed ? 'allowed' : 'turned off'} on this Rackdeck. Only the desktop app or{' '}
          <code>rackdeck local-commands on|off</code> can change that{view.allowed ? '' : '; until then they are refused'}, and a command that runs here can only be written
          there too.
        </p>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
