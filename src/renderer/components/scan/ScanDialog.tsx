import { useId, useState } from 'react';
import { SCAN_DEFAULT_PORTS, type ScanHost, type ScanResult } from '../../../shared/contract/scan';
import { useClient } from '../../hooks/useClient';
import { useDialogSignal } from '../../hooks/useDialogSignal';
import { Icon } from '../Icon';
import { Modal } from '../Modal';
import './scan.css';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** The name a found host gets: its reverse DNS name's first label, or its address (main checks it). */
function nameOf(h: ScanHost): string {
  const label = h.name?.replace(/\.$/, '').split('.')[0];
  return label && /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/.test(label) ? label : h.address;
}

/**
 * The network scan (issue 17): a subnet and ports, what answered (name, MAC, vendor, known or not),
 * and the selected new hosts added in one step. Main refuses a subnet larger than a /16 and says
 * why; closing the dialog cancels a scan under way.
 */
export function ScanDialog({ onClose }: { onClose(): void }) {
  const client = useClient();
  const signal = useDialogSignal();
  const cidrId = useId();
  const portsId = useId();
  const [cidr, setCidr] = useState('');
  const [ports, setPorts] = useState(SCAN_DEFAULT_PORTS.join(','));
  const [result, setResult] = useState<ScanResult | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState<'scan' | 'add' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [added, setAdded] = useState<string | null>(null);

  const scan = async () => {
    setBusy('scan');
    setError(null);
    setAdded(null);
    try {
      const list = ports.split(',').map((p) => p.trim()).filter(Boolean).map((p) => (/^\d+$/.test(p) ? Number(p) : Number.NaN));
      const r = await client.scan.run({ cidr: cidr.trim(), ...(list.length ? { ports: list } : {}) }, { signal: signal() });
      setResult(r);
      setSelected(new Set(r.hosts.filter((h) => !h.known).map((h) => h.address)));
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(null);
    }
  };
  const add = async () => {
    if (!result) return;
    setBusy('add');
    setError(null);
    try {
      const hosts = result.hosts.filter((h) => selected.has(h.address) && !h.known).map((h) => ({ address: h.address, name: nameOf(h), ports: h.openPorts, ...(h.mac ? { mac: h.mac } : {}) }));
      const { added: views } = await client.scan.add({ hosts }, { signal: signal() });
      setAdded(`Added ${views.map((v) => v.name).join(', ')}.`);
      const byAddress = new Map(views.map((v) => [v.address, v]));
      setResult({ ...result, hosts: result.hosts.map((h) => (byAddress.has(h.address) ? { ...h, known: { id: byAddress.get(h.address)!.id, name: byAddress.get(h.address)!.name } } : h)) });
      setSelected(new Set());
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(null);
    }
  };
  const toggle = (address: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(address)) next.delete(address);
      else next.add(address);
      return next;
    });

  return (
    <Modal titleId="scan-title" className="wide-modal" testId="scan-dialog" onClose={onClose}>
      <div className="modal-head">
        <h2 id="scan-title">Scan the network</h2>
        <button type="button" className="icon-btn" aria-label="Close" onClick={onClose}>
          <Icon name="close" />
        </button>
      </div>
      <div className="modal-body wide-body scan">
        <form
          className="scan-form"
          onSubmit={(e) => {
            e.preventDefault();
            void scan();
          }}
        >
          <div className="field">
            <label htmlFor={cidrId}>Subnet (at most a /16)</label>
            <input id={cidrId} className="mono" data-testid="scan-cidr" placeholder="192.168.1.0/24" value={cidr} onChange={(e) => setCidr(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={portsId}>Ports</label>
            <input id={portsId} className="mono" data-testid="scan-ports" value={ports} onChange={(e) => setPorts(e.target.value)} />
          </div>
          <button type="submit" className="btn btn-primary" data-testid="scan-run" disabled={busy !== null || cidr.trim() === ''}>
            {busy === 'scan' ? 'Scanning…' : 'Scan'}
          </button>
        </form>
        {error && (
          <p className="form-error" role="alert" data-testid="scan-error">
            {error}
          </p>
        )}
        {result && (
          <>
            <p className="muted" data-testid="scan-summary">
              {result.cidr}: {result.hosts.length} of {result.scanned} addresses answered ({(result.durationMs / 1000).toFixed(1)} s).
            </p>
            {result.hosts.length > 0 && (
              <table className="scan-table">
                <thead>
                  <tr>
                    <th aria-label="Add" />
                    <th>Address</th>
                    <th>Name</th>
                    <th>MAC</th>
                    <th>Vendor</th>
                    <th>Open ports</th>
                    <th>In Rackdeck</th>
                  </tr>
                </thead>
                <tbody>
                  {result.hosts.map((h) => (
                    <tr key={h.address} data-testid="scan-host" data-address={h.address} data-known={h.known !== undefined}>
                      <td>
                        <input type="checkbox" aria-label={`Add ${h.address}`} data-testid="scan-select" disabled={h.known !== undefined} checked={!h.known && selected.has(h.address)} onChange={() => toggle(h.address)} />
                      </td>
                      <td className="mono">{h.address}</td>
                      <td>{h.name ?? ''}</td>
                      <td className="mono" title={h.macSource ? `from ${h.macSource === 'neighbour' ? 'the neighbour table' : h.macSource === 'ssh' ? 'SSH' : 'what Rackdeck knows'}` : undefined}>
                        {h.mac ?? ''}
                      </td>
                      <td>{h.vendor ?? ''}</td>
                      <td className="mono">{h.openPorts.join(', ')}</td>
                      <td>{h.known ? h.known.name : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {added && (
              <p className="scan-added" role="status" data-testid="scan-added">
                {added}
              </p>
            )}
            <div className="scan-row">
              <button type="button" className="btn btn-primary" data-testid="scan-add" disabled={busy !== null || ![...selected].some((a) => result.hosts.some((h) => h.address === a && !h.known))} onClick={() => void add()}>
                {busy === 'add' ? 'Adding…' : `Add ${selected.size} selected`}
              </button>
            </div>
          </>
        )}
      </div>
    </Modal>
  );
}
