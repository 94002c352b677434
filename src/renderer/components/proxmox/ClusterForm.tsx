import { useId, useState } from 'react';
import type { CertificateView, ClusterView, DiscoveryReport } from '../../../shared/contract/proxmox';
import { RackdeckError } from '../../../shared/ipc';
import { useClient } from '../../hooks/useClient';
import { Modal } from '../Modal';
import { fingerprintLines } from './guest-labels';
import './proxmox.css';

type Step = { kind: 'form' } | { kind: 'trust'; cert: CertificateView } | { kind: 'done'; cluster: ClusterView; report: DiscoveryReport };

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

function message(e: unknown): { text: string; fields?: Record<string, string> } {
  if (e instanceof RackdeckError) return { text: e.message, ...(e.fields ? { fields: e.fields } : {}) };
  return { text: e instanceof Error ? e.message : String(e) };
}

/**
 * Adds a Proxmox cluster: URL and an API token (or user, realm and password). The certificate
 * is looked at first: one the system's CAs vouch for is used as is; a self-signed one is shown
 * with its SHA-256 fingerprint, to compare with the one the node displays, and is pinned only
 * when the admin says it matches (trust on first use). There is no "ignore certificate" switch.
 */
export function ClusterForm(props: { onClose: () => void; onAdded?: (cluster: ClusterView) => void }) {
  const client = useClient();
  const titleId = useId();
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [auth, setAuth] = useState<'token' | 'ticket'>('token');
  const [token, setToken] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [step, setStep] = useState<Step>({ kind: 'form' });
  const [matches, setMatches] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ text: string; fields?: Record<string, string> } | null>(null);

  const add = async (fingerprint?: string) => {
    setBusy(true);
    setError(null);
    try {
      const r = await client.proxmox.addCluster({
        name: name.trim(),
        url: url.trim(),
        ...(auth === 'token' ? { token: token.trim() } : { username: username.trim(), password }),
        ...(fingerprint ? { fingerprint } : {}),
      });
      setStep({ kind: 'done', ...r });
      props.onAdded?.(r.cluster);
    } catch (e) {
      const m = message(e);
      // Refused for its certificate after all (it changed between the look and the add): show the new one.
      if (m.fields?.fingerprint) setStep({ kind: 'trust', cert: { fingerprint: m.fields.fingerprint, authorized: false } });
      setError(m);
    } finally {
      setBusy(false);
    }
  };

  const connect = async () => {
    setBusy(true);
    setError(null);
    try {
      const cert = await client.proxmox.checkCertificate({ url: url.trim() });
      if (cert.authorized) {
        setBusy(false);
        await add();
      } else {
        setMatches(false);
        setStep({ kind: 'trust', cert });
        setBusy(false);
      }
    } catch (e) {
      setError(message(e));
      setBusy(false);
    }
  };

  const formOk = name.trim() !== '' && url.trim() !== '' && (auth === 'token' ? token.includes('!') && token.includes('=') : username.includes('@') && password !== '');

  return (
    <Modal titleId={titleId} onClose={props.onClose} className="form-modal px-cluster-form" testId="cluster-form">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (step.kind === 'form' && formOk) void connect();
        }}
      >
        <div className="modal-head">
          <h2 id={titleId}>{step.kind === 'trust' ? 'Trust this certificate?' : step.kind === 'done' ? 'Cluster added' : 'Add a Proxmox cluster'}</h2>
        </div>
        <div className="modal-body">
          {step.kind === 'form' && (
            <>
              <div className="form-grid">
                <label className="field">
                  Name in Rackdeck
                  <input value={name} data-testid="cluster-name" placeholder="homelab" onChange={(e) => setName(e.target.value)} />
                </label>
                <label className="field">
                  URL
                  <input value={url} data-testid="cluster-url" placeholder="https://pve.lan:8006" onChange={(e) => setUrl(e.target.value)} />
                </label>
              </div>
              <fieldset className="px-auth">
                <legend>Sign in with</legend>
                <label>
                  <input type="radio" name="auth" checked={auth === 'token'} data-testid="auth-token" onChange={() => setAuth('token')} /> API token (recommended)
                </label>
                <label>
                  <input type="radio" name="auth" checked={auth === 'ticket'} data-testid="auth-ticket" onChange={() => setAuth('ticket')} /> User and password
                </label>
              </fieldset>
              {auth === 'token' ? (
                <label className="field">
                  Token
                  <input type="password" value={token} data-testid="cluster-token" autoComplete="off" spellCheck={false} placeholder="rackdeck@pve!rackdeck=xxxxxxxx-xxxx-…" onChange={(e) => setToken(e.target.value)} />
                  <span className="field-hint">USER@REALM!TOKENID=SECRET, as pveum printed it. Stored encrypted on this machine.</span>
                </label>
              ) : (
                <div className="form-grid">
                  <label className="field">
                    User
                    <input value={username} data-testid="cluster-user" placeholder="root@pam" autoComplete="username" onChange={(e) => setUsername(e.target.value)} />
                  </label>
                  <label className="field">
                    Password
                    <input type="password" value={password} data-testid="cluster-password" autoComplete="current-password" onChange={(e) => setPassword(e.target.value)} />
                  </label>
                </div>
              )}
            </>
          )}
          {step.kind === 'trust' && (
            <>
              <p>
                {url.trim()} presents a certificate no certificate authority on this machine vouches for (normal for Proxmox, which makes its own). Compare its fingerprint with the one the node shows under
                <em> Datacenter → node → System → Certificates</em>, or with <code>pvenode cert info</code>.
              </p>
              <div className="px-fingerprint" data-testid="cluster-fingerprint" aria-label="SHA-256 fingerprint">
                {fingerprintLines(step.cert.fingerprint).map((l) => (
                  <code key={l}>{l}</code>
                ))}
              </div>
              {(step.cert.subject || step.cert.issuer || step.cert.validTo) && (
                <p className="muted">
                  {step.cert.subject ? `Issued to ${step.cert.subject}` : ''}
                  {step.cert.issuer ? ` by ${step.cert.issuer}` : ''}
                  {step.cert.validTo ? `, valid until ${step.cert.validTo}` : ''}
                </p>
              )}
              <label className="px-check">
                <input type="checkbox" checked={matches} data-testid="cluster-fingerprint-matches" onChange={(e) => setMatches(e.target.checked)} /> It is the same fingerprint: trust this certificate for this cluster
              </label>
            </>
          )}
          {step.kind === 'done' && (
            <p data-testid="cluster-added">
              {step.report.ok
                ? `${step.cluster.name} is added: ${plural(step.report.nodes, 'node')}, ${plural(step.report.guests, 'guest')} and ${plural(step.report.storage, 'storage pool')} found. They appear in the grid under their nodes.`
                : `${step.cluster.name} is added, but the first refresh failed: ${step.report.error?.message ?? ''}`}
            </p>
          )}
          {error && (
            <p className="form-error" role="alert" data-testid="cluster-error">
              {error.text}
            </p>
          )}
        </div>
        <div className="modal-actions">
          <button type="button" className="btn" onClick={props.onClose}>
            {step.kind === 'done' ? 'Close' : 'Cancel'}
          </button>
          {step.kind === 'form' && (
            <button type="submit" className="btn btn-primary" data-testid="cluster-connect" disabled={!formOk || busy}>
              {busy ? 'Connecting…' : 'Connect'}
            </button>
          )}
          {step.kind === 'trust' && (
            <>
              <button type="button" className="btn" onClick={() => setStep({ kind: 'form' })}>
                Back
              </button>
              <button type="button" className="btn btn-primary" data-testid="cluster-trust" disabled={!matches || busy} onClick={() => void add(step.cert.fingerprint)}>
                {busy ? 'Connecting…' : 'Trust and add'}
              </button>
            </>
          )}
        </div>
      </form>
    </Modal>
  );
}

/** A pinned cluster whose certificate changed: both fingerprints, and the choice to trust the new one. */
export function CertificateChanged(props: { cluster: ClusterView; onTrusted?: (cluster: ClusterView) => void }) {
  const client = useClient();
  const [matches, setMatches] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const e = props.cluster.status.error;
  if (!e || e.kind !== 'certificate_mismatch' || !e.fingerprint) return null;
  const presented = e.fingerprint;
  return (
    <div className="px-cert-changed" role="alert" data-testid="certificate-changed">
      <p>
        <strong>The certificate of {props.cluster.name} has changed.</strong> Rackdeck stopped talking to it. If the node was reinstalled or its certificate renewed, compare the new fingerprint with the node’s and trust it; otherwise someone may be in between.
      </p>
      <dl>
        <dt>Pinned</dt>
        <dd>
          <code>{e.expectedFingerprint}</code>
        </dd>
        <dt>Presented now</dt>
        <dd>
          <code>{presented}</code>
        </dd>
      </dl>
      <label className="px-check">
        <input type="checkbox" checked={matches} onChange={(ev) => setMatches(ev.target.checked)} /> The new fingerprint matches the node’s
      </label>
      <button
        type="button"
        className="btn"
        disabled={!matches}
        onClick={() =>
          client.proxmox
            .trustFingerprint({ name: props.cluster.name, fingerprint: presented })
            .then((c) => props.onTrusted?.(c))
            .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)))
        }
      >
        Trust the new certificate
      </button>
      {error && <p className="form-error">{error}</p>}
    </div>
  );
}
