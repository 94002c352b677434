import { useState } from 'react';
import type { NetworkInterfaceView, ServerView } from '../../../shared/server';
import { useClient } from '../../hooks/useClient';
import { useTimeText } from '../../hooks/useNow';
import { formatAgo, formatDuration, formatTimestamp } from '../../lib/time';
import { useRackdeck } from '../../store';
import { DetailRow } from '../detail/DetailRow';
import { SetupAccessDialog } from '../proxmox/SetupAccessDialog';
import './power.css';

const TYPE = { linux: 'Linux', proxmox: 'Proxmox VE', unknown: 'Unknown' } as const;

function wolText(nic: NetworkInterfaceView): string {
  if (nic.wolSupported === undefined) return 'unknown';
  if (!nic.wolSupported) return 'not supported';
  return nic.wolEnabled ? 'on' : 'off';
}

const sameMac = (a: string | undefined, b: string) => !!a && a.replace(/[^0-9a-f]/gi, '').toLowerCase() === b.replace(/[^0-9a-f]/gi, '').toLowerCase();

/**
 * What the init loop found over SSH: the OS, whether it is a Proxmox host, hibernation, the
 * network interfaces with their MACs and Wake-on-LAN support, and the offer to use an
 * interface's MAC for Wake-on-LAN (and turn WoL on with ethtool). Init can be run again now.
 */
export function SystemInfo({ server }: { server: ServerView }) {
  const client = useClient();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const sys = server.system;
  const initAgo = useTimeText((now) => (sys?.initialisedAt === undefined ? '' : formatAgo(sys.initialisedAt, now)));
  const run = async (label: string, fn: () => Promise<unknown>) => {
    setBusy(label);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  };
  // A changed host key is explained (with Accept) in the Power section; not twice.
  const initError = server.lastError?.action === 'init' && !server.hostKey ? server.lastError : undefined;
  // A Proxmox host no configured cluster covers yet (its node would sit under it).
  const covered = useRackdeck((st) => Object.values(st.servers).some((v) => v.kind === 'proxmox-node' && v.proxmox && (v.parentId === server.id || v.id === server.id)));
  const [settingUp, setSettingUp] = useState(false);

  return (
    <div className="pw-system" data-testid="system-info">
      {!sys && <p className="muted">{server.ssh ? 'Not initialised yet: Rackdeck looks at it over SSH when it is up.' : 'Set up SSH (Edit) and Rackdeck detects its OS, network interfaces and Wake-on-LAN support.'}</p>}
      {sys && (
        <dl className="dlist">
          <DetailRow term="System">
            {sys.os ?? 'unknown OS'} <span className="muted">· {TYPE[sys.systemType]}</span>
          </DetailRow>
          <DetailRow term="Hibernate">{sys.hibernate ? 'supported' : <span className="muted">not available</span>}</DetailRow>
          <DetailRow term="Checked">
            {sys.initialisedAt !== undefined ? <span title={formatTimestamp(sys.initialisedAt)}>{initAgo}</span> : <span className="muted">never succeeded</span>}
            {sys.initFailures > 0 && <span className="pw-warn-text"> · {sys.initFailures} failed {sys.initFailures === 1 ? 'attempt' : 'attempts'}</span>}
          </DetailRow>
        </dl>
      )}
      {initError && (
        <div className="pw-error" role="alert">
          <div>
            <p>{initError.message}</p>
            {initError.hint && <p className="pw-hint">Try: {initError.hint}</p>}
          </div>
        </div>
      )}
      {sys?.systemType === 'proxmox' && !covered && (
        <div className="pw-suggest pw-suggest-row" data-testid="offer-proxmox-access">
          <span>It runs Proxmox VE: Rackdeck can set up its own least-privilege API access over SSH.</span>
          <button type="button" className="btn btn-sm" onClick={() => setSettingUp(true)}>
            Set up access…
          </button>
        </div>
      )}
      {settingUp && <SetupAccessDialog server={server} onClose={() => setSettingUp(false)} />}
      {sys?.suggestedMac && (
        <p className="pw-suggest" data-testid="suggested-mac">
          Rackdeck suggests <span className="mono">{sys.suggestedMac}</span> for Wake-on-LAN{server.mac ? ` instead of ${server.mac}` : ''}: use it from the interface below.
        </p>
      )}
      {sys && sys.interfaces.length > 0 && (
        <table className="pw-nics" data-testid="interfaces">
          <thead>
            <tr>
              <th scope="col">Interface</th>
              <th scope="col">MAC</th>
              <th scope="col">WoL</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sys.interfaces.map((nic) => {
              const used = sameMac(server.mac, nic.mac);
              const canEnable = nic.wolSupported === true && nic.wolEnabled !== true && !!server.ssh;
              return (
                <tr key={nic.name} data-used={used || undefined}>
                  <td>
                    <span className="pw-link-dot" data-up={nic.up} title={nic.up ? 'link up' : 'link down'} />
                    <span className="mono">{nic.name}</span>
                  </td>
                  <td className="mono">{nic.mac}</td>
                  <td data-wol={wolText(nic)}>{wolText(nic)}</td>
                  <td className="pw-nic-actions">
                    {used ? (
                      <span className="muted">used for WoL</span>
                    ) : (
                      <button type="button" className="btn btn-sm" disabled={busy !== null} data-testid={`use-mac-${nic.name}`} onClick={() => void run(nic.name, () => client.power.useInterface({ id: server.id, interface: nic.name, enableWol: false }))}>
                        Use this MAC
                      </button>
                    )}
                    {canEnable && (
                      <button type="button" className="btn btn-sm" disabled={busy !== null} data-testid={`enable-wol-${nic.name}`} onClick={() => void run(`wol-${nic.name}`, () => client.power.useInterface({ id: server.id, interface: nic.name, enableWol: true }))}>
                        {used ? 'Enable WoL' : 'Use and enable WoL'}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {server.ssh && (
        <div className="pw-row">
          <button type="button" className="btn btn-sm" disabled={busy !== null} data-testid="run-init" onClick={() => void run('init', () => client.power.init({ id: server.id }))}>
            {busy === 'init' ? 'Looking…' : sys ? 'Look again now' : 'Initialise now'}
          </button>
          {sys?.nextInitAt !== undefined && <NextInit at={sys.nextInitAt} />}
        </div>
      )}
    </div>
  );
}

function NextInit({ at }: { at: number }) {
  const text = useTimeText((now) => (at <= now ? 'next look due now' : `next look in ${formatDuration(at - now)}`));
  return <span className="muted">{text}</span>;
}
