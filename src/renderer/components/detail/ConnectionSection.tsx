import type { ServerView } from '../../../shared/server';
import { KIND_LABELS } from '../../lib/kinds';
import { useServer } from '../../hooks/useServer';
import { useUi } from '../../ui-store';
import { DetailRow } from './DetailRow';

const AUTH = { key: 'key file', agent: 'SSH agent', password: 'password' } as const;

export function ConnectionSection({ server: s }: { server: ServerView }) {
  const parent = useServer(s.parentId);
  return (
    <dl className="dlist">
      <DetailRow term="Kind">{KIND_LABELS[s.kind]}</DetailRow>
      <DetailRow term="Address">
        <span className="mono">{s.address}</span>
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
        </DetailRow>
      )}
      <DetailRow term="Id">
        <span className="mono muted">{s.id}</span>
      </DetailRow>
    </dl>
  );
}
