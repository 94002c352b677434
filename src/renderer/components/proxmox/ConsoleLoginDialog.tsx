import { useId, useState } from 'react';
import type { ClusterView } from '../../../shared/contract/proxmox';
import { useClient } from '../../hooks/useClient';
import { Modal } from '../Modal';
import './proxmox.css';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * A user login for the consoles of a token cluster: Proxmox VE 8 refuses API tokens on
 * consoles (9.1 accepts them). The login is checked once before it is kept; the password is
 * stored encrypted and never shown again. An existing one can be removed.
 */
export function ConsoleLoginDialog(props: { cluster: ClusterView; onClose: () => void; onSaved: () => void }) {
  const client = useClient();
  const titleId = useId();
  const userId = useId();
  const passId = useId();
  const [username, setUsername] = useState(props.cluster.consoleUser ?? 'root@pam');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (remove: boolean) => {
    setBusy(true);
    setError(null);
    try {
      await client.proxmox.setConsoleLogin(remove ? { name: props.cluster.name, username: null } : { name: props.cluster.name, username, password });
      props.onSaved();
      props.onClose();
    } catch (e) {
      setError(message(e));
      setBusy(false);
    }
  };
  return (
    <Modal titleId={titleId} onClose={props.onClose} className="confirm" testId="console-login">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (username && password && !busy) void run(false);
        }}
      >
        <h2 id={titleId}>Console login for {props.cluster.name}</h2>
        <div className="confirm-body">
          <p>
            Proxmox VE {props.cluster.status.version ?? props.cluster.version ?? '8'} opens shells and screens for a user login only; the API token keeps doing everything else. Rackdeck checks the login once and
            stores the password encrypted on this machine.
          </p>
          <div className="field">
            <label htmlFor={userId}>User</label>
            <input id={userId} className="mono" value={username} placeholder="root@pam" autoComplete="username" onChange={(e) => setUsername(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={passId}>Password</label>
            <input id={passId} type="password" autoComplete="current-password" value={password} autoFocus onChange={(e) => setPassword(e.target.value)} />
          </div>
        </div>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="modal-actions">
          {props.cluster.consoleUser && (
            <button type="button" className="btn btn-danger-ghost" disabled={busy} onClick={() => void run(true)}>
              Remove the login
            </button>
          )}
          <button type="button" className="btn" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={!username || !password || busy} data-testid="console-login-save">
            {busy ? 'Checking…' : 'Save'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
