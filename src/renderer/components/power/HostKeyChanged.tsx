import { useState } from 'react';
import type { ServerView } from '../../../shared/server';
import { useClient } from '../../hooks/useClient';
import { formatTimestamp } from '../../lib/time';
import './power.css';

/**
 * Shown when a server presented an SSH host key other than the pinned one: Rackdeck refuses to
 * connect until the admin compares the fingerprints and accepts the new key. Accepting pins
 * exactly the key that was shown (main keeps it), not whatever the server sends next.
 */
export function HostKeyChanged({ server }: { server: ServerView }) {
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const mismatch = server.hostKey;
  if (!mismatch) return null;

  const accept = async () => {
    setBusy(true);
    setError(null);
    try {
      await client.power.acceptHostKey({ id: server.id });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="pw-hostkey" role="alert" data-testid="hostkey-changed" onClick={(e) => e.stopPropagation()}>
      <h3>The SSH host key of {server.name} changed</h3>
      <p>
        Rackdeck refused to connect to {mismatch.endpoint} ({formatTimestamp(mismatch.at)}). If the server was reinstalled or its keys were regenerated, accept the new key. If not, someone may be
        intercepting the connection: do not accept it.
      </p>
      <dl>
        <dt>Pinned</dt>
        <dd>
          <code data-testid="hostkey-old">{mismatch.expected}</code>
        </dd>
        <dt>Presented</dt>
        <dd>
          <code data-testid="hostkey-new">{mismatch.presented}</code> <span className="muted">({mismatch.keyType})</span>
        </dd>
      </dl>
      <p className="muted">Compare with what the server prints for: ssh-keygen -lf /etc/ssh/ssh_host_{mismatch.keyType.replace(/^ssh-/, '').replace(/-.*$/, '')}_key.pub</p>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="pw-row">
        <button type="button" className="btn btn-danger" data-testid="hostkey-accept" disabled={busy} onClick={() => void accept()}>
          {busy ? 'Accepting…' : 'Accept the new key'}
        </button>
      </div>
    </section>
  );
}
