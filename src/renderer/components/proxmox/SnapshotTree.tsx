import { useCallback, useEffect, useId, useState } from 'react';
import { SNAPSHOT_NAME_PATTERN, type ProxmoxTask, type SnapshotNode, type SnapshotTree as Tree } from '../../../shared/contract/proxmox';
import { useClient } from '../../hooks/useClient';
import { formatClock, formatTimestamp } from '../../lib/time';
import { ConfirmDialog } from '../ConfirmDialog';
import { Icon } from '../Icon';
import { Modal } from '../Modal';
import { TaskProgress } from './TaskProgress';
import './proxmox.css';

type Pending = { kind: 'rollback' | 'delete'; node: SnapshotNode } | null;

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * A guest's snapshots as a tree with the current position ("you are here"), and create (with
 * or without RAM for VMs, with a description), roll back and delete: each asks first and shows
 * its task's progress and log; the tree reloads when the task ends.
 */
export function SnapshotTree(props: { guest: string; type: 'qemu' | 'lxc'; running?: boolean }) {
  const client = useClient();
  const [tree, setTree] = useState<(Tree & { guest: { name: string } }) | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [task, setTask] = useState<ProxmoxTask | null>(null);
  const [pending, setPending] = useState<Pending>(null);
  const [creating, setCreating] = useState(false);
  const [startAfter, setStartAfter] = useState(false);

  const load = useCallback(() => {
    client.proxmox
      .snapshots({ guest: props.guest })
      .then((t) => {
        setTree(t);
        setError(null);
      })
      .catch((e: unknown) => setError(message(e)));
  }, [client, props.guest]);
  useEffect(load, [load]);
  useEffect(() => {
    if (!task) return;
    const upid = task.upid;
    let live = true;
    const seen = (t: ProxmoxTask) => {
      if (!live || t.upid !== upid) return;
      setTask((cur) => (cur?.status === 'stopped' ? cur : t));
      if (t.status === 'stopped') load();
    };
    const off = client.on('proxmox.task', seen);
    // It may have ended before this listened (a quick task): ask once.
    client.proxmox.task({ upid }).then(seen, () => undefined);
    return () => {
      live = false;
      off();
    };
  }, [client, task?.upid, load]);

  const start = async (p: Promise<ProxmoxTask>) => {
    const t = await p;
    setTask(t);
  };
  const busy = task !== null && task.status === 'running';
  const name = tree?.guest.name ?? 'the guest';

  return (
    <section className="px-snapshots" data-testid="snapshot-tree">
      <div className="px-snap-bar">
        <span className="muted">{tree ? (tree.list.length === 0 ? 'No snapshots yet.' : `${tree.list.length} ${tree.list.length === 1 ? 'snapshot' : 'snapshots'}`) : error ? '' : 'Loading…'}</span>
        <button type="button" className="btn btn-sm" data-testid="snapshot-new" onClick={() => setCreating(true)} disabled={busy}>
          <Icon name="camera" size={15} /> Take snapshot…
        </button>
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {tree && (
        <ul className="px-tree" role="tree" aria-label="Snapshots">
          {tree.roots.map((n) => (
            <SnapshotItem
              key={n.name}
              node={n}
              busy={busy}
              onRollback={(node) => {
                setStartAfter(Boolean(props.running) && !node.vmstate);
                setPending({ kind: 'rollback', node });
              }}
              onDelete={(node) => setPending({ kind: 'delete', node })}
            />
          ))}
        </ul>
      )}
      {task && <TaskProgress key={task.upid} upid={task.upid} initial={task} onClose={() => setTask(null)} />}
      {pending?.kind === 'rollback' && (
        <ConfirmDialog
          title={`Roll back to ${pending.node.name}?`}
          confirmLabel="Roll back"
          onClose={() => setPending(null)}
          onConfirm={async () => {
            await start(client.proxmox.snapshotRollback({ guest: props.guest, name: pending.node.name, ...(startAfter && !pending.node.vmstate ? { start: true } : {}) }));
            setPending(null);
          }}
        >
          <p>
            {name} returns to the state of <strong>{pending.node.name}</strong>
            {pending.node.snaptime ? ` (${formatTimestamp(pending.node.snaptime * 1000)})` : ''}. Everything changed since then that is not in another snapshot is lost.
          </p>
          {pending.node.vmstate ? (
            <p>The snapshot holds the guest’s memory: it resumes running where it was.</p>
          ) : (
            <>
              <p>The snapshot holds no memory: the guest is stopped after the rollback.</p>
              <label className="px-check">
                <input type="checkbox" checked={startAfter} data-testid="rollback-start" onChange={(e) => setStartAfter(e.target.checked)} /> Start it after the rollback
              </label>
            </>
          )}
        </ConfirmDialog>
      )}
      {pending?.kind === 'delete' && (
        <ConfirmDialog
          title={`Delete snapshot ${pending.node.name}?`}
          confirmLabel="Delete snapshot"
          onClose={() => setPending(null)}
          onConfirm={async () => {
            await start(client.proxmox.snapshotDelete({ guest: props.guest, name: pending.node.name }));
            setPending(null);
          }}
        >
          <p>The snapshot is merged away: you can no longer roll back to it. {name} itself is not touched.</p>
        </ConfirmDialog>
      )}
      {creating && (
        <CreateSnapshotDialog
          type={props.type}
          guestName={name}
          running={Boolean(props.running)}
          onClose={() => setCreating(false)}
          onCreate={async (input) => {
            await start(client.proxmox.snapshotCreate({ guest: props.guest, ...input }));
            setCreating(false);
          }}
        />
      )}
    </section>
  );
}

function SnapshotItem(props: { node: SnapshotNode; busy: boolean; onRollback: (node: SnapshotNode) => void; onDelete: (node: SnapshotNode) => void }) {
  const { node } = props;
  return (
    <li role="treeitem" aria-expanded={node.children.length ? true : undefined} aria-current={node.current ? 'step' : undefined} data-testid={node.current ? 'snapshot-current' : `snapshot-${node.name}`}>
      {node.current ? (
        <div className="px-snap px-snap-current">
          <span className="px-snap-mark" aria-hidden />
          <span className="px-snap-name">You are here</span>
          <span className="muted">the guest now</span>
        </div>
      ) : (
        <div className="px-snap">
          <span className="px-snap-mark" aria-hidden />
          <div className="px-snap-text">
            <div className="px-snap-line">
              <span className="px-snap-name">{node.name}</span>
              {node.vmstate && (
                <span className="px-chip" title="Includes the guest's memory">
                  RAM
                </span>
              )}
              {node.snaptime !== undefined && (
                <time className="muted" dateTime={new Date(node.snaptime * 1000).toISOString()} title={formatTimestamp(node.snaptime * 1000)}>
                  {formatClock(node.snaptime * 1000)}
                </time>
              )}
            </div>
            {node.description && (
              <p className="px-snap-desc" title={node.description}>
                {node.description.split('\n')[0]}
              </p>
            )}
          </div>
          <span className="px-snap-actions">
            <button type="button" className="icon-btn" disabled={props.busy} aria-label={`Roll back to ${node.name}`} title="Roll back…" data-testid={`snapshot-rollback-${node.name}`} onClick={() => props.onRollback(node)}>
              <Icon name="reboot" size={16} />
            </button>
            <button type="button" className="icon-btn pw-danger" disabled={props.busy} aria-label={`Delete ${node.name}`} title="Delete…" data-testid={`snapshot-delete-${node.name}`} onClick={() => props.onDelete(node)}>
              <Icon name="trash" size={16} />
            </button>
          </span>
        </div>
      )}
      {node.children.length > 0 && (
        <ul role="group">
          {node.children.map((c) => (
            <SnapshotItem key={c.name} {...props} node={c} />
          ))}
        </ul>
      )}
    </li>
  );
}

function CreateSnapshotDialog(props: {
  type: 'qemu' | 'lxc';
  guestName: string;
  running: boolean;
  onClose: () => void;
  onCreate: (input: { name: string; description?: string; vmstate?: boolean }) => Promise<void>;
}) {
  const titleId = useId();
  const nameId = useId();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [ram, setRam] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const nameOk = SNAPSHOT_NAME_PATTERN.test(name) && name !== 'current' && name !== 'vzdump';
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await props.onCreate({ name, ...(description.trim() ? { description: description.trim() } : {}), ...(ram ? { vmstate: true } : {}) });
    } catch (e) {
      setError(message(e));
      setBusy(false);
    }
  };
  return (
    <Modal titleId={titleId} onClose={props.onClose} className="confirm px-snap-dialog" testId="snapshot-create-dialog">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (nameOk && !busy) void submit();
        }}
      >
        <h2 id={titleId}>Snapshot {props.guestName}</h2>
        <div className="confirm-body">
          <div className="field" data-invalid={name !== '' && !nameOk ? true : undefined}>
            <label htmlFor={nameId}>Name</label>
            <input id={nameId} value={name} autoFocus autoComplete="off" spellCheck={false} className="mono" placeholder="before-upgrade" data-testid="snapshot-name" onChange={(e) => setName(e.target.value.trim())} aria-invalid={name !== '' && !nameOk} />
            <span className="field-hint">2–40 letters, digits, “-” or “_”, starting with a letter.</span>
          </div>
          <label className="field">
            <span>Description</span>
            <textarea value={description} rows={3} placeholder="What is about to change, and why" data-testid="snapshot-description" onChange={(e) => setDescription(e.target.value)} />
          </label>
          {props.type === 'qemu' && (
            <label className="px-check">
              <input type="checkbox" checked={ram} disabled={!props.running} data-testid="snapshot-ram" onChange={(e) => setRam(e.target.checked)} />
              <span>
                Include RAM
                <span className="muted"> · {props.running ? 'a rollback resumes the VM where it was; takes longer and more space' : 'only for a running VM'}</span>
              </span>
            </label>
          )}
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
          <button type="submit" className="btn btn-primary" data-testid="snapshot-create" disabled={!nameOk || busy}>
            {busy ? 'Starting…' : 'Take snapshot'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
