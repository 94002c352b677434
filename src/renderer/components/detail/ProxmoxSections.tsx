import type { ServerView } from '../../../shared/server';
import { GuestActions } from '../proxmox/GuestActions';
import { GuestAddresses, GuestInfo, NodeInfo } from '../proxmox/GuestInfo';
import { SnapshotTree } from '../proxmox/SnapshotTree';

/** A guest's actions with their task and log, then what Proxmox says of it. */
export function GuestSection({ server }: { server: ServerView }) {
  return (
    <div className="drawer-stack">
      <GuestActions server={server} />
      <GuestInfo server={server} />
    </div>
  );
}

export function SnapshotsSection({ server }: { server: ServerView }) {
  const px = server.proxmox;
  if (!px?.type) return null;
  return <SnapshotTree key={server.id} guest={server.id} type={px.type} running={server.power === 'on'} />;
}

export function NodeSection({ server }: { server: ServerView }) {
  return <NodeInfo server={server} />;
}

export function AddressesSection({ server }: { server: ServerView }) {
  return <GuestAddresses server={server} />;
}
