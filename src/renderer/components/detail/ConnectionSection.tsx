import type { ServerView } from '../../../shared/server';
import { KIND_LABELS } from '../../lib/kinds';
import { useServer } from '../../hooks/useServer';
import { useUi } from '../../ui-store';
import { DetailRow } from './DetailRow';

const AUTH = { key: 'key file', agent: 'SSH agent', password: 'password' } as const;

/** Where the magic packet goes, in one line. */
export function wolSummary(s: Pick<ServerView, 'wol'>): string {
  const w = s.wol;
  if (!w) return 'UDP 9, 7 to the subnet broadcast and 255.255.255.255';
  const to = [w.directedBroadcast && 'subnet broadcast', w.limitedBroadcast && '255.255.255.255', w.unicast && 'its address', ...w.extraTargets].filter(Boolean);
  return `UDP ${w.ports.join(', ')} to ${to.length ? to.join(', ') : 'nowhere (no target set)'}`;
}

/** Whether a secret is stored: the secret itself never reaches the renderer. */
function SecretState({ set, what }: { set: boolean | undefined; what: string }) {
  return <span className={set ? 'secret-set' : 'secret-missing'}> · {set ? `${what} stored` : `no ${what} stored`}</span>;
}

export function ConnectionSection({ server: s }: { server: ServerView }) {
  const parent = useServer(s.parentId);
  return (
    <dl className="dlist">
      <DetailRow term="Kind">{KIND_LABELS[s.kind]}</DetailRow>
      <DetailRow term="Address">
        {/* A discovered guest may have none yet: it is never given its node's. */}
        {s.address ? <span className="mono">{s.address}</span> : <span className="muted" data-testid="no-address">none known: set one, or let Proxmox report it (guest agent, static IP)</span>}
      </DetailRow>
      <DetailRow term="MAC">{s.mac ? <span className="mono">{s.mac}</span> : <span className="muted">not set</span>}</DetailRow>
      <DetailRow term="Parent">
        {parent ? (
          <button type="button" className="link" onClick={() => useUi.getState().select(parent.id)}>
            {parent.name}
          </button>
        ) : (
          <span className="muted">none</span>
        )}
      </DetailRow>
      <DetailRow term="SSH">
        {s.ssh ? (
          <span className="mono">
            {s.ssh.user}@{s.address}:{s.ssh.port}
          </span>
        ) : (
          <span className="muted">not set up</span>
        )}
      </DetailRow>
      {s.ssh && (
        <DetailRow term="Sign-in">
          {AUTH[s.ssh.auth]}
          {s.ssh.keyPath && <span className="mono"> {s.ssh.keyPath}</span>}
          {s.ssh.auth === 'password' && <SecretState set={s.secretsSet?.sshPassword} what="password" />}
          {s.ssh.auth === 'key' && s.secretsSet?.sshPassphrase && <SecretState set what="passphrase" />}
        </DetailRow>
      )}
      {s.proxmox?.vmid === undefined && (
        <DetailRow term="Wake-on-LAN">
          {s.mac ? wolSummary(s) : <span className="muted">needs a MAC address</span>}
          {s.wol?.secureOn && <SecretState set={s.secretsSet?.wolPassword} what="SecureOn password" />}
        </DetailRow>
      )}
      {s.powerControl && (s.powerControl.useSudo || Object.keys(s.powerControl.customCommands).length > 0) && (
        <DetailRow term="Commands">
          {Object.entries(s.powerControl.customCommands)
            .map(([a, c]) => `${a} (${c.runOn === 'local' ? 'here' : 'over SSH'})`)
            .join(', ') || 'built-in'}
          {s.powerControl.useSudo && <span className="muted"> · with sudo</span>}
        </DetailRow>
      )}
      <DetailRow term="Id">
        <span className="mono muted">{s.id}</span>
      </DetailRow>
    </dl>
  );
}
