import { useEffect, useId, useState } from 'react';
import type { ReceiverStatus } from '../../../shared/contract/agents';
import { useClient } from '../../hooks/useClient';
import './health.css';

/**
 * Where agents report to. The receiver is off by default (it opens a port); when it is off or
 * could not listen, this says so and offers to turn it on, with its address and port.
 */
export function ReceiverSettings({ compact = false }: { compact?: boolean }) {
  const client = useClient();
  const hostId = useId();
  const portId = useId();
  const urlId = useId();
  const [status, setStatus] = useState<ReceiverStatus | null>(null);
  const [editing, setEditing] = useState(false);
  const [host, setHost] = useState('127.0.0.1');
  const [port, setPort] = useState('7374');
  const [publicUrl, setPublicUrl] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    client.agents.receiverStatus({}).then(
      (s) => {
        if (!live) return;
        setStatus(s);
        setHost(s.host);
        setPort(String(s.port));
        setPublicUrl(s.publicUrl ?? '');
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [client]);
  if (!status) return null;
  if (status.enabled && status.listening && !editing) {
    return (
      <p className="hp-receiver muted" data-testid="receiver-on">
        Agents report to <span className="mono">{status.url}</span>.
      </p>
    );
  }
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      setStatus(await client.agents.enableReceiver({ host: host.trim(), port: Number(port), ...(publicUrl.trim() ? { publicUrl: publicUrl.trim() } : {}) }));
      setEditing(false);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  if (compact && !editing) {
    return (
      <p className="hp-receiver muted" data-testid="receiver-off">
        {status.enabled ? 'The agent receiver is not listening.' : 'The agent receiver is off.'}{' '}
        <button type="button" className="link" data-testid="receiver-setup" onClick={() => setEditing(true)}>
          Set it up…
        </button>
      </p>
    );
  }
  return (
    <div className="hp-receiver-off" data-testid="receiver-off">
      <p>
        <strong>{status.enabled ? 'The agent receiver is not listening.' : 'The agent receiver is off.'}</strong>{' '}
        {status.error ?? 'Agents cannot report until it listens. It opens one HTTP port; each agent needs its own key.'}
      </p>
      {editing ? (
        <form
          className="hp-receiver-form"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <div className="field">
            <label htmlFor={hostId}>Listen on</label>
            <input id={hostId} className="mono" value={host} onChange={(e) => setHost(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={portId}>Port</label>
            <input id={portId} className="mono" inputMode="numeric" value={port} onChange={(e) => setPort(e.target.value)} />
          </div>
          <div className="field hp-span">
            <label htmlFor={urlId}>Agents reach it at</label>
            <input id={urlId} className="mono" placeholder="http://192.168.1.10:7374 (when listening on 0.0.0.0)" value={publicUrl} onChange={(e) => setPublicUrl(e.target.value)} />
          </div>
          {error && <p className="form-error hp-span">{error}</p>}
          <div className="hp-row hp-span">
            <button type="submit" className="btn btn-sm btn-primary" disabled={busy}>
              {busy ? 'Starting…' : 'Turn on'}
            </button>
            <button type="button" className="btn btn-sm" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <button type="button" className="btn btn-sm" data-testid="receiver-setup" onClick={() => setEditing(true)}>
          Set up the receiver…
        </button>
      )}
    </div>
  );
}
