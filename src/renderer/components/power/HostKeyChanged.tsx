import { useState } from 'react';
import type { HostKeyMismatchView, ServerView } from '../../../shared/server';
import { useClient } from '../../hooks/useClient';
import { formatTimestamp } from '../../lib/time';
import { ConfirmDialog } from '../ConfirmDialog';
import { Icon } from '../Icon';
import './power.css';

/** The file whose fingerprint the admin compares on the server's own console. */
function keyFile(keyType: string): string {
  return `/etc/ssh/ssh_host_${keyType.replace(/^ssh-/, '').replace(/-.*$/, '')}_key.pub`;
}

function Fingerprints({ mismatch }: { mismatch: HostKeyMismatchView }) {
  return (
    <dl className="pw-fps">
      <dt>Pinned</dt>
      <dd>
        <code data-testid="hostkey-old" title={mismatch.expected}>
          {mismatch.expected}
        </code>
      </dd>
      <dt>Presented</dt>
      <dd>
        <code data-testid="hostkey-new" title={mismatch.presented}>
          {mismatch.presented}
        </code>
      </dd>
    </dl>
  );
}

/**
 * Shown when a server presented an SSH host key other than the pinned one: Rackdeck refuses to
 * connect until the admin compares the fingerprints and accepts the new key. Accepting pins
 * exactly the key that was shown (main keeps it), not whatever the server sends next. On a card
 * it is compact and Accept asks once more with the explanation; the drawer explains in place.
 */
export function HostKeyChanged({ server, compact = false }: { server: ServerView; compact?: boolean }) {
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  const mismatch = server.hostKey;
  if (!mismatch) return null;

  const accept = async () => {
    setBusy(true);
    setError(null);
    try {
      // The same action as `rackdeck trust --fingerprint`: only the key shown here, if the server still offers it.
      await client.hostKeys.trust({ id: server.id, fingerprint: mismatch.presented });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      throw e;
    } finally {
      setBusy(false);
    }
  };
  const explanation = (
    <p>
      Rackdeck refused to connect to <span className="mono">{mismatch.endpoint}</span> ({formatTimestamp(mismatch.at)}). If the server was reinstalled or its keys were regenerated,
      accept the new key. If not, someone may be intercepting the connection: do not accept it.
    </p>
  );
  const compare = (
    <p className="muted pw-compare">
      Compare on the server: <code>ssh-keygen -lf {keyFile(mismatch.keyType)}</code>; from a terminal, the same is{' '}
      <code>
        rackdeck trust {server.name} --fingerprint {mismatch.presented}
      </code>
    </p>
  );

  if (compact) {
    return (
      <section className="pw-hostkey" data-compact role="alert" data-testid="hostkey-changed">
        <h4>
          <Icon name="key" size={15} /> SSH host key changed
        </h4>
        <Fingerprints mismatch={mismatch} />
        <div className="pw-row">
          <button type="button" className="btn btn-sm btn-danger-ghost" data-testid="hostkey-accept" disabled={busy} onClick={() => setAsking(true)}>
            Compare and accept…
          </button>
        </div>
        {asking && (
          <ConfirmDialog
            title={`Accept the new host key of ${server.name}?`}
            confirmLabel="Accept the new key"
            onConfirm={async () => {
              await accept();
              setAsking(false);
            }}
            onClose={() => setAsking(false)}
          >
            {explanation}
            <Fingerprints mismatch={mismatch} />
            {compare}
          </ConfirmDialog>
        )}
      </section>
    );
  }

  return (
    <section className="pw-hostkey" role="alert" data-testid="hostkey-changed">
      <h4>
        <Icon name="key" size={16} /> The SSH host key of {server.name} changed
      </h4>
      {explanation}
      <Fingerprints mismatch={mismatch} />
      <p className="muted">Key type {mismatch.keyType}.</p>
      {compare}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="pw-row">
        <button type="button" className="btn btn-danger" data-testid="hostkey-accept" disabled={busy} onClick={() => void accept().catch(() => undefined)}>
          {busy ? 'Accepting…' : 'Accept the new key'}
        </button>
      </div>
    </section>
  );
}
