import { useEffect, useState } from 'react';
import type { GuestAddress } from '../../../shared/contract/proxmox';
import type { ServerView } from '../../../shared/server';
import { useClient } from '../../hooks/useClient';
import { useTimeText } from '../../hooks/useNow';
import { formatAgo, formatDuration, formatTimestamp } from '../../lib/time';
import { useUi } from '../../ui-store';
import { DetailRow } from '../detail/DetailRow';
import { GuestChips } from './GuestChips';
import { memoryPressure, pressureText } from './guest-labels';
import './proxmox.css';

const gib = (b: number) => `${(b / 2 ** 30).toFixed(b < 10 * 2 ** 30 ? 1 : 0)} GiB`;
const pct = (x: number) => `${(x * 100).toFixed(x < 0.1 ? 1 : 0)} %`;

function Usage({ used, total, label }: { used: number; total: number; label: string }) {
  const share = total > 0 ? Math.min(1, used / total) : 0;
  return (
    <span className="px-usage" title={label}>
      <span className="px-usage-bar" data-level={share > 0.9 ? 'high' : share > 0.75 ? 'mid' : undefined}>
        <span style={{ width: `${(share * 100).toFixed(1)}%` }} />
      </span>
      <span className="px-usage-text">{label}</span>
    </span>
  );
}

/** A discovered guest as Proxmox sees it: id, node, run state, HA, tags, figures. */
export function GuestInfo({ server }: { server: ServerView }) {
  const px = server.proxmox;
  if (!px || px.vmid === undefined) return null;
  const run = px.qmpstatus && px.qmpstatus !== px.status ? `${px.status} (${px.qmpstatus})` : px.status;
  return (
    <dl className="dlist" data-testid="guest-info">
      <DetailRow term="Guest">
        {px.type === 'lxc' ? 'Container' : 'VM'} <span className="mono">{px.vmid}</span>
        {px.guestName && px.guestName !== server.name && <span className="muted"> · “{px.guestName}” in Proxmox</span>}
      </DetailRow>
      <DetailRow term="Node">
        <NodeLink node={px.node} parentId={server.parentId} />
        <span className="muted">
          {' '}
          · {px.cluster}
          {px.nodeStatus && px.nodeStatus !== 'online' ? ` · node ${px.nodeStatus}` : ''}
        </span>
      </DetailRow>
      <DetailRow term="Proxmox says">{run ?? <span className="muted">not seen yet</span>}</DetailRow>
      {(px.template || px.hastate || px.lock || (px.tags?.length ?? 0) > 0) && (
        <DetailRow term="Marks">
          <GuestChips px={px} />
        </DetailRow>
      )}
      {px.pool && <DetailRow term="Pool">{px.pool}</DetailRow>}
      {px.cpu !== undefined && px.maxcpu !== undefined && server.power === 'on' && (
        <DetailRow term="CPU">
          <Usage used={px.cpu} total={1} label={`${pct(px.cpu)} of ${px.maxcpu} ${px.maxcpu === 1 ? 'core' : 'cores'}`} />
        </DetailRow>
      )}
      {px.mem !== undefined && px.maxmem !== undefined && px.maxmem > 0 && server.power === 'on' && (
        <DetailRow term="Memory">
          <Usage used={px.mem} total={px.maxmem} label={`${gib(px.mem)} of ${gib(px.maxmem)}`} />
        </DetailRow>
      )}
      {server.power !== 'on' && (px.maxcpu !== undefined || px.maxmem !== undefined) && (
        <DetailRow term="Sized">
          {[px.maxcpu !== undefined ? `${px.maxcpu} ${px.maxcpu === 1 ? 'core' : 'cores'}` : '', px.maxmem ? `${gib(px.maxmem)} memory` : ''].filter(Boolean).join(', ')}
        </DetailRow>
      )}
      {px.memhost !== undefined && px.memhost > 0 && server.power === 'on' && (
        <DetailRow term="On the host">
          <span title="What the VM costs its node in RAM (Proxmox VE 9's memhost), emulator included">{gib(px.memhost)}</span>
        </DetailRow>
      )}
      {memoryPressure(px.pressure) !== undefined && (
        <DetailRow term="Memory pressure">
          <span data-testid="guest-pressure" title="The share of the last 10 s its tasks stalled waiting for memory (Proxmox VE 9): above a few percent the guest is short of memory">
            {pressureText(memoryPressure(px.pressure) ?? 0)}
            {px.pressure?.cpuSome !== undefined && <span className="muted"> · CPU {pressureText(px.pressure.cpuSome)}</span>}
            {px.pressure?.ioSome !== undefined && <span className="muted"> · I/O {pressureText(px.pressure.ioSome)}</span>}
          </span>
        </DetailRow>
      )}
      {px.haManaged && <DetailRow term="HA">Managed by the HA manager ({px.hastate}): start and stop are asked of it</DetailRow>}
      {px.backup && <BackupRow backup={px.backup} />}
      {px.uptime !== undefined && px.uptime > 0 && <DetailRow term="Uptime">{formatDuration(px.uptime * 1000)}</DetailRow>}
    </dl>
  );
}

function BackupRow({ backup }: { backup: NonNullable<ServerView['proxmox']>['backup'] & object }) {
  const age = useTimeText((now) => (backup.lastOkAt === undefined ? '' : formatAgo(backup.lastOkAt, now)));
  return (
    <DetailRow term="Last backup">
      <span data-testid="guest-backup" data-stale={backup.stale || undefined} className={backup.stale ? 'px-stale' : undefined} title={backup.volid}>
        {backup.lastOkAt === undefined ? 'none found' : `${age} (${formatTimestamp(backup.lastOkAt)})`}
      </span>
    </DetailRow>
  );
}

/** A discovered node: its cluster, state and load, and the way to the cluster's panel. */
export function NodeInfo({ server }: { server: ServerView }) {
  const px = server.proxmox;
  if (!px || px.vmid !== undefined) return null;
  return (
    <dl className="dlist" data-testid="node-info">
      <DetailRow term="Cluster">
        <button type="button" className="link" onClick={() => useUi.getState().openPanel('proxmox')}>
          {px.cluster}
        </button>
        <span className="muted"> · node {px.node}</span>
      </DetailRow>
      <DetailRow term="Cluster says">{px.nodeStatus ?? <span className="muted">not seen yet</span>}</DetailRow>
      {px.cpu !== undefined && px.maxcpu !== undefined && px.nodeStatus === 'online' && (
        <DetailRow term="CPU">
          <Usage used={px.cpu} total={1} label={`${pct(px.cpu)} of ${px.maxcpu} cores`} />
        </DetailRow>
      )}
      {px.mem !== undefined && px.maxmem !== undefined && px.maxmem > 0 && px.nodeStatus === 'online' && (
        <DetailRow term="Memory">
          <Usage used={px.mem} total={px.maxmem} label={`${gib(px.mem)} of ${gib(px.maxmem)}`} />
        </DetailRow>
      )}
      {px.uptime !== undefined && px.uptime > 0 && <DetailRow term="Uptime">{formatDuration(px.uptime * 1000)}</DetailRow>}
    </dl>
  );
}

/** The guest's node; its server is the guest's parent in the inventory. */
function NodeLink({ node, parentId }: { node: string; parentId: string | undefined }) {
  if (!parentId) return <>{node}</>;
  return (
    <button type="button" className="link" onClick={() => useUi.getState().select(parentId)}>
      {node}
    </button>
  );
}

const SOURCE = { agent: 'guest agent', lxc: 'container', config: 'guest config' } as const;

/** A guest's addresses with where each was learned (guest agent, LXC interfaces, the config). */
export function GuestAddresses({ server }: { server: ServerView }) {
  const client = useClient();
  const [list, setList] = useState<GuestAddress[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const known = server.proxmox?.addresses;
  const key = known?.join(',') ?? '';
  useEffect(() => {
    let live = true;
    client.proxmox
      .addresses({ guest: server.id })
      .then((a) => live && (setList(a), setError(null)))
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [client, server.id, key]);
  const rows = list ?? (known ?? []).map((address): GuestAddress => ({ address, family: address.includes(':') ? 'ipv6' : 'ipv4', source: 'agent' }));
  if (rows.length === 0) {
    return <p className="muted">{error ?? (list ? 'Proxmox knows no address for it (no guest agent, no static IP in its config).' : 'Asking Proxmox…')}</p>;
  }
  return (
    <ul className="px-addresses" data-testid="guest-addresses">
      {rows.map((a) => (
        <li key={`${a.interface ?? ''}-${a.address}`}>
          <span className="mono">
            {a.address}
            {a.prefix !== undefined ? `/${a.prefix}` : ''}
          </span>
          {a.interface && <span className="muted">{a.interface}</span>}
          <span className="px-chip">{list ? SOURCE[a.source] : 'known'}</span>
        </li>
      ))}
    </ul>
  );
}
