import { useId, useState } from 'react';
import { RackdeckError } from '../../../shared/ipc';
import type { ServerView } from '../../../shared/server';
import { useClient } from '../../hooks/useClient';
import { Modal } from '../Modal';
import { fingerprintLines } from './guest-labels';
import './proxmox.css';

type Step = { kind: 'form' } | { kind: 'trust'; fingerprint: string } | { kind: 'done'; tokenId: string; privileges: string[]; cluster: string };

/**
 * From a Proxmox host the init loop recognised: Rackdeck logs in over SSH and creates a
 * dedicated user, role and API token with only the privileges it needs, then adds the cluster.
 * A self-signed API certificate is shown first and pinned only when the admin says it matches.
 */
export function SetupAccessDialog({ server, onClose }: { server: ServerView; onClose: () => void }) {
  const client = useClient();
  const titleId = useId();
  const nameId = useId();
  const [name, setName] = useState(() => server.name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').slice(0, 32) || 'pve');
  const [allowDelete, setAllowDelete] = useState(false);
  const [matches, setMatches] = useState(false);
  const [step, setStep] = useState<Step>({ kind: 'form' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const run = async (fingerprint?: string) => {
    setBusy(true);
    setError(null);
    try {
      const r = await client.proxmox.setupToken({ serverId: server.id, name: name.trim(), ...(fingerprint ? { fingerprint } : {}), ...(allowDelete ? { allowDelete } : {}) });
      setStep({ kind: 'done', tokenId: r.tokenId, privileges: r.privileges, cluster: r.cluster.name });
    } catch (e) {
      if (!fingerprint && e instanceof RackdeckError && e.fields?.fingerprint) {
        setMatches(false);
        setStep({ kind: 'trust', fingerprint: e.fields.fingerprint });
      } else setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal titleId={titleId} onClose={onClose} className="confirm px-setup" testId="setup-access-dialog">
      <h2 id={titleId}>{step.kind === 'done' ? 'Proxmox access is set up' : step.kind === 'trust' ? 'Trust this certificate?' : `Set up Proxmox access on ${server.name}`}</h2>
      <div className="confirm-body">
        {step.kind === 'form' && (
          <>
            <p>
              Over SSH, Rackdeck creates the user <span className="mono">rackdeck@pve</span>, a role with only what it needs (audit, VM power, snapshots) and an API token with privilege
              separation, then adds the cluster. The token’s secret is stored encrypted here.
            </p>
            <div className="field">
              <label htmlFor={nameId}>Cluster name in Rackdeck</label>
              <input id={nameId} value={name} className="mono" data-testid="setup-name" onChange={(e) => setName(e.target.value)} />
            </div>
            <label className="px-check">
              <input type="checkbox" checked={allowDelete} onChange={(e) => setAllowDelete(e.target.checked)} /> Also allow deleting guests (VM.Allocate)
            </label>
          </>
        )}
        {step.kind === 'trust' && (
          <>
            <p>The API of {server.name} presents a self-signed certificate. Compare its fingerprint with the one the node shows (<code>pvenode cert info</code>).</p>
            <div className="px-fingerprint" data-testid="setup-fingerprint">
              {fingerprintLines(step.fingerprint).map((l) => (
                <code key={l}>{l}</code>
              ))}
            </div>
            <label className="px-check">
              <input type="checkbox" checked={matches} onChange={(e) => setMatches(e.target.checked)} /> It is the same fingerprint
            </label>
          </>
        )}
        {step.kind === 'done' && (
          <p data-testid="setup-done">
            Token <span className="mono">{step.tokenId}</span> was created with {step.privileges.join(', ')}; the cluster {step.cluster} is added and being discovered.
          </p>
        )}
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="modal-actions">
        <button type="button" className="btn" onClick={onClose}>
          {step.kind === 'done' ? 'Close' : 'Cancel'}
        </button>
        {step.kind === 'form' && (
          <button type="button" className="btn btn-primary" disabled={busy || name.trim() === ''} onClick={() => void run()}>
            {busy ? 'Setting up…' : 'Set up'}
          </button>
        )}
        {step.kind === 'trust' && (
          <button type="button" className="btn btn-primary" disabled={busy || !matches} onClick={() => void run(step.fingerprint)}>
            {busy ? 'Setting up…' : 'Trust and set up'}
          </button>
        )}
      </div>
    </Modal>
  );
}
