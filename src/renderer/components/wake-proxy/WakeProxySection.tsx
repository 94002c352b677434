import { useEffect, useId, useState } from 'react';
import type { WakeProxyView } from '../../../shared/contract/wake-proxy';
import type { ServerView } from '../../../shared/server';
import { useClient } from '../../hooks/useClient';
import { useWakeProxyStore } from './wake-proxy-store';
import './wake-proxy.css';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * The drawer's "Wake on demand" section (issue 17): this server's listeners with what they carry
 * now, a form to add one (a port of this machine → a service port of the server) and removal.
 * Main validates and binds; the form only says what main answered.
 */
export function WakeProxySection({ server }: { server: ServerView }) {
  const client = useClient();
  const version = useWakeProxyStore((s) => s.version);
  const [views, setViews] = useState<WakeProxyView[] | null>(null);
  const [adding, setAdding] = useState(false);
  const [host, setHost] = useState('127.0.0.1');
  const [port, setPort] = useState('');
  const [target, setTarget] = useState(String(server.ports[0] ?? 22));
  const [timeout, setTimeoutS] = useState('180');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ids = { host: useId(), port: useId(), target: useId(), timeout: useId() };

  useEffect(() => {
    let live = true;
    client.wakeProxy.list({ server: server.id }).then(
      (v) => live && setViews(v),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [client, server.id, version]);

  const number = (text: string) => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN);
  const add = async () => {
    setBusy(true);
    setError(null);
    try {
      await client.wakeProxy.add({ server: server.id, listenHost: host.trim(), listenPort: number(port), targetPort: number(target), timeoutMs: number(timeout) * 1000 });
      setAdding(false);
      setPort('');
      setViews(await client.wakeProxy.list({ server: server.id }));
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
    }
  };
  const remove = async (id: string) => {
    setError(null);
    try {
      await client.wakeProxy.remove({ id });
      setViews(await client.wakeProxy.list({ server: server.id }));
    } catch (e) {
      setError(message(e));
    }
  };

  return (
    <div className="wp" data-testid="wake-proxy-section">
      <p className="muted wp-hint">Point a share, a URL or an SSH alias at a port of this machine: a connection wakes {server.name} and is held until its service answers.</p>
      {views && views.length > 0 && (
        <ul className="wp-list">
          {views.map((v) => (
            <li key={v.id} className="wp-item" data-testid="wake-proxy-listener" data-id={v.id}>
              <span className="mono">
                {v.listenHost}:{v.boundPort ?? v.listenPort} → {v.targetPort}
              </span>
              <span className="wp-state" data-listening={v.listening}>
                {v.error ? `not listening: ${v.error}` : v.listening ? `${v.active} open, ${v.waiting} waiting, ${v.total} since start` : 'binds while Rackdeck runs'}
              </span>
              {v.lastFailure && <span className="wp-failure">last failure: {v.lastFailure.reason}</span>}
              <button type="button" className="btn btn-sm" data-testid="wake-proxy-remove" onClick={() => void remove(v.id)}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      {adding ? (
        <form
          className="wp-form"
          data-testid="wake-proxy-form"
          onSubmit={(e) => {
            e.preventDefault();
            void add();
          }}
        >
          <div className="field">
            <label htmlFor={ids.host}>Listen on</label>
            <input id={ids.host} className="mono" value={host} onChange={(e) => setHost(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={ids.port}>Port here</label>
            <input id={ids.port} className="mono" inputMode="numeric" data-testid="wake-proxy-port" value={port} onChange={(e) => setPort(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={ids.target}>Service port</label>
            <input id={ids.target} className="mono" inputMode="numeric" data-testid="wake-proxy-target" value={target} onChange={(e) => setTarget(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={ids.timeout}>Hold up to (s)</label>
            <input id={ids.timeout} className="mono" inputMode="numeric" value={timeout} onChange={(e) => setTimeoutS(e.target.value)} />
          </div>
          {error && <p className="form-error wp-span" data-testid="wake-proxy-error">{error}</p>}
          <div className="wp-span wp-row">
            <button type="submit" className="btn btn-sm btn-primary" data-testid="wake-proxy-save" disabled={busy}>
              {busy ? 'Adding…' : 'Add listener'}
            </button>
            <button type="button" className="btn btn-sm" onClick={() => setAdding(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <>
          {error && <p className="form-error">{error}</p>}
          <button type="button" className="btn btn-sm" data-testid="wake-proxy-add" onClick={() => setAdding(true)}>
            Add a listener…
          </button>
        </>
      )}
    </div>
  );
}
