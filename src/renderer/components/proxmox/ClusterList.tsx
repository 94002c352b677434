import { useId, useState } from 'react';
import type { ClusterView } from '../../../shared/contract/proxmox';
import { useClient } from '../../hooks/useClient';
import { useTimeText } from '../../hooks/useNow';
import { formatAgo, formatTimestamp } from '../../lib/time';
import { ConfirmDialog } from '../ConfirmDialog';
import { Icon } from '../Icon';
import { Modal } from '../Modal';
import { BackupSettings } from './BackupSettings';
import { CertificateChanged } from './ClusterForm';
import { ConsoleLoginDialog } from './ConsoleLoginDialog';
import './proxmox.css';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The clusters Rackdeck talks to, each with its health, and the way to add one. */
export function ClusterList(props: { clusters: ClusterView[] | null; onAdd: () => void; onChanged: () => void }) {
  const { clusters } = props;
  if (clusters === null) return <p className="muted">Loading…</p>;
  if (clusters.length === 0) {
    return (
      <div className="panel-empty" data-testid="no-clusters">
        <span className="panel-empty-icon" aria-hidden>
          <Icon name="proxmox-node" size={30} />
        </span>
        <h3>No Proxmox cluster yet</h3>
        <p>Add one by its URL with an API token (or a user and password): Rackdeck finds every node, VM and container and shows them under their node.</p>
        <button type="button" className="btn btn-primary" data-testid="add-cluster" onClick={props.onAdd}>
          <Icon name="plus" size={16} /> Add a cluster
        </button>
      </div>
    );
  }
  return (
    <div className="px-clusters">
      <div className="panel-bar">
        <p className="muted">{plural(clusters.length, 'cluster')}. Discovery refreshes each on its own interval: one API request, plus one per node running VMs (to see which are paused).</p>
        <button type="button" className="btn btn-primary" data-testid="add-cluster" onClick={props.onAdd}>
          <Icon name="plus" size={16} /> Add a cluster
        </button>
      </div>
      <ul className="px-cluster-list">
        {clusters.map((c) => (
          <ClusterCard key={c.name} cluster={c} onChanged={props.onChanged} />
        ))}
      </ul>
      <BackupSettings />
    </div>
  );
}

function ClusterCard({ cluster: c, onChanged }: { cluster: ClusterView; onChanged: () => void }) {
  const client = useClient();
  const [busy, setBusy] = useState<string | null>(null);
  const [note, setNote] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [removing, setRemoving] = useState(false);
  const [credentials, setCredentials] = useState(false);
  const [consoleLogin, setConsoleLogin] = useState(false);
  const refreshed = useTimeText((now) => (c.status.at === undefined ? 'never' : formatAgo(c.status.at, now)));
  const tone = c.status.state === 'ok' ? 'on' : c.status.state === 'error' ? 'failed' : 'unknown';

  const refresh = async () => {
    setBusy('refresh');
    setNote(null);
    try {
      const [r] = await client.proxmox.discover({ cluster: c.name });
      setNote(r && !r.ok ? { kind: 'error', text: r.error?.message ?? 'The refresh failed.' } : { kind: 'ok', text: `Refreshed: ${plural(r?.nodes ?? 0, 'node')}, ${plural(r?.guests ?? 0, 'guest')}${r?.changes.length ? `, ${plural(r.changes.length, 'change')}` : ''}.` });
    } catch (e) {
      setNote({ kind: 'error', text: message(e) });
    } finally {
      setBusy(null);
      onChanged();
    }
  };

  return (
    <li className="px-cluster" data-tone={tone} data-testid="cluster" data-cluster={c.name}>
      <div className="px-cluster-head">
        <span className="px-cluster-icon" aria-hidden>
          <Icon name="proxmox-node" size={20} />
        </span>
        <div className="px-cluster-title">
          <h3>{c.name}</h3>
          <p className="mono muted">{c.url}</p>
        </div>
        <span className="badge" data-tone={tone} data-testid="cluster-state">
          <span className="badge-dot" aria-hidden />
          {c.status.state === 'ok' ? 'Connected' : c.status.state === 'error' ? 'Error' : 'Not yet asked'}
        </span>
      </div>
      <dl className="px-cluster-facts">
        <div>
          <dt>Nodes</dt>
          <dd>{c.status.nodes}</dd>
        </div>
        <div>
          <dt>Guests</dt>
          <dd>{c.status.guests}</dd>
        </div>
        <div>
          <dt>Storage</dt>
          <dd>{c.status.storage}</dd>
        </div>
        <div>
          <dt>Refreshed</dt>
          <dd title={c.status.at !== undefined ? formatTimestamp(c.status.at) : undefined}>{refreshed}</dd>
        </div>
        <div>
          <dt>Signs in as</dt>
          <dd className="mono" title={c.auth === 'token' ? 'API token' : 'user and password (ticket)'}>
            {c.auth === 'token' ? c.tokenId : c.username}
          </dd>
        </div>
        <div>
          <dt>Release</dt>
          <dd data-testid="cluster-version">{(c.status.version ?? c.version) ? `Proxmox VE ${c.status.version ?? c.version}` : '—'}</dd>
        </div>
        <div>
          <dt>Consoles</dt>
          <dd data-testid="cluster-consoles" title={c.status.consoleRefusal}>
            {c.consoleUser ? <span className="mono">{c.consoleUser}</span> : c.auth === 'ticket' ? 'user login' : c.status.consoleRefusal ? 'need a user login' : 'by API token'}
          </dd>
        </div>
        <div>
          <dt>Certificate</dt>
          <dd title={c.fingerprint}>{c.fingerprint ? `pinned ${c.fingerprint.slice(0, 11)}…` : 'trusted by a CA'}</dd>
        </div>
      </dl>
      {c.status.error && c.status.error.kind !== 'certificate_mismatch' && (
        <p className="form-error" role="alert" data-testid="cluster-status-error">
          {c.status.error.message}
        </p>
      )}
      <CertificateChanged cluster={c} onTrusted={onChanged} />
      {c.status.consoleRefusal && (
        <p className="px-warn" data-testid="cluster-console-refusal">
          {c.status.consoleRefusal}
        </p>
      )}
      {c.status.issues && c.status.issues.length > 0 && (
        <details className="px-issues" data-testid="cluster-issues">
          <summary>{plural(c.status.issues.length, 'field')} Rackdeck could not read in the last refresh</summary>
          <ul>
            {c.status.issues.map((i) => (
              <li key={i} className="mono">
                {i}
              </li>
            ))}
          </ul>
        </details>
      )}
      {!c.hasSecret && <p className="form-error">No credentials are stored for this cluster: set them again.</p>}
      {note && (
        <p className={note.kind === 'error' ? 'form-error' : 'px-ok'} role={note.kind === 'error' ? 'alert' : 'status'}>
          {note.text}
        </p>
      )}
      <div className="px-cluster-actions">
        <button type="button" className="btn btn-sm" disabled={busy !== null} data-testid="cluster-refresh" onClick={() => void refresh()}>
          <Icon name="refresh" size={15} /> {busy === 'refresh' ? 'Refreshing…' : 'Refresh now'}
        </button>
        <button type="button" className="btn btn-sm" onClick={() => setCredentials(true)}>
          <Icon name="key" size={15} /> {c.auth === 'token' ? 'Replace token secret…' : 'Replace password…'}
        </button>
        {c.auth === 'token' && (c.status.consoleRefusal || c.consoleUser) && (
          <button type="button" className="btn btn-sm" data-testid="cluster-console-login" onClick={() => setConsoleLogin(true)}>
            <Icon name="key" size={15} /> Console login…
          </button>
        )}
        <button type="button" className="btn btn-sm btn-danger-ghost" data-testid="cluster-remove" onClick={() => setRemoving(true)}>
          <Icon name="trash" size={15} /> Remove…
        </button>
      </div>
      {removing && (
        <ConfirmDialog
          title={`Remove the cluster ${c.name}?`}
          confirmLabel="Remove cluster"
          onClose={() => setRemoving(false)}
          onConfirm={async () => {
            await client.proxmox.removeCluster({ name: c.name });
            setRemoving(false);
            onChanged();
          }}
        >
          <p>
            Rackdeck stops talking to it, forgets its credentials and removes its {plural(c.status.nodes, 'node')} and {plural(c.status.guests, 'guest')} from the grid. Nothing changes on the cluster
            itself.
          </p>
        </ConfirmDialog>
      )}
      {credentials && <CredentialsDialog cluster={c} onClose={() => setCredentials(false)} onSaved={onChanged} />}
      {consoleLogin && <ConsoleLoginDialog cluster={c} onClose={() => setConsoleLogin(false)} onSaved={onChanged} />}
    </li>
  );
}

function CredentialsDialog(props: { cluster: ClusterView; onClose: () => void; onSaved: () => void }) {
  const client = useClient();
  const titleId = useId();
  const inputId = useId();
  const [secret, setSecret] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const token = props.cluster.auth === 'token';
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      await client.proxmox.setCredentials({ name: props.cluster.name, secret });
      props.onSaved();
      props.onClose();
    } catch (e) {
      setError(message(e));
      setBusy(false);
    }
  };
  return (
    <Modal titleId={titleId} onClose={props.onClose} className="confirm">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (secret && !busy) void save();
        }}
      >
        <h2 id={titleId}>{token ? 'Replace the token secret' : 'Replace the password'}</h2>
        <div className="confirm-body">
          <p>
            For <span className="mono">{token ? props.cluster.tokenId : props.cluster.username}</span> on {props.cluster.name}. It is stored encrypted on this machine and never shown again.
          </p>
          <div className="field">
            <label htmlFor={inputId}>{token ? 'Token secret' : 'Password'}</label>
            <input id={inputId} type="password" autoComplete="new-password" value={secret} autoFocus onChange={(e) => setSecret(e.target.value)} />
          </div>
        </div>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="modal-actions">
          <button type="button" className="btn" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={!secret || busy}>
            {busy ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
