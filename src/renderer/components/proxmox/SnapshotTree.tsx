import { useCallback, useEffect, useId, useState, type ReactNode } from 'react';
import { SNAPSHOT_NAME_PATTERN, type ProxmoxTask, type SnapshotNode, type SnapshotTree as Tree } from '../../../shared/contract/proxmox';
import { useClient } from '../../hooks/useClient';
import { ConfirmDialog } from '../ConfirmDialog';
import { Modal } from '../Modal';
import { TaskProgress } from './TaskProgress';
import './proxmox.css';

type Pending = { kind: 'rollback' | 'delete'; name: string } | null;

/**
 * A guest's snapshots as a tree with the current position ("you are here"), and create (with
 * or without RAM for VMs, with a description), roll back and delete: each asks first and shows
 * its task's progress; the tree reloads when the task ends.
 */
export function SnapshotTree(props: { guest: string; type: 'qemu' | 'lxc'; running?: boolean }) {
  const client = useClient();
  const [tree, setTree] = useState<(Tree & { guest: { name: string } }) | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [task, setTask] = useState<ProxmoxTask | null>(null);
  const [pending, setPending] = useState<Pending>(null);
  const [creating, setCreating] = useState(false);

  const load = useCallback(() => {
    client.proxmox
      .snapshots({ guest: props.guest })
      .then((t) => {
        setTree(t);
        setError(null);
      })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [client, props.guest]);
  useEffect(load, [load]);
  useEffect(() => {
    if (!task) return;
    return client.on('proxmox.task', (t) => {
      if (t.upid === task.upid && t.status === 'stopped') load();
    });
  }, [client, task, load]);

  const start = async (p: Promise<ProxmoxTask>) => {
    const t = await p;
    setTask(t);
  };

  return (
    <section className="px-snapshots" data-testid="snapshot-tree">
      <header className="px-snap-head">
        <h3>Snapshots</h3>
        <button type="button" className="btn" data-testid="snapshot-new" onClick={() => setCreating(true)} disabled={task?.status === 'running'}>
          Take snapshot…
        </button>
      </header>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {!tree && !error && <p className="muted">Loading…</p>}
      {tree && tree.list.length === 0 && <p className="muted">No snapshots yet.</p>}
      {tree && (
        <ul className="px-tree" role="tree" aria-label="Snapshots">
          {tree.roots.map((n) => (
            <SnapshotItem key={n.name} node={n} busy={task?.status === 'running'} onRollback={(name) => setPending({ kind: 'rollback', name })} onDelete={(name) => setPending({ kind: 'delete', name })} />
          ))}
        </ul>
      )}
      {task && <TaskProgress key={task.upid} upid={task.upid} initial={task} onClose={() => setTask(null)} />}
      {pending?.kind === 'rollback' && (
        <ConfirmDialog
          title={`Roll back to ${pending.name}?`}
          confirmLabel="Roll back"
          onClose={() => setPending(null)}
          onConfirm={async () => {
            await start(client.proxmox.snapshotRollback({ guest: props.guest, name: pending.name }));
            setPending(null);
          }}
        >
          <p>The guest returns to the state of {pending.name}. Everything changed since then that is not in another snapshot is lost.</p>
        </ConfirmDialog>
      )}
      {pending?.kind === 'delete' && (
        <ConfirmDialog
          title={`Delete snapshot ${pending.name}?`}
          confirmLabel="Delete"
          onClose={() => setPending(null)}
          onConfirm={async () => {
            await start(client.proxmox.snapshotDelete({ guest: props.guest, name: pending.name }));
            setPending(null);
          }}
        >
          <p>The snapshot is merged away; you can no longer roll back to it. The guest itself is not touched.</p>
        </ConfirmDialog>
      )}
      {creating && (
        <CreateSnapshotDialog
          type={props.type}
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

function SnapshotItem(props: { node: SnapshotNode; busy: boolean; onRollback: (name: string) => void; onDelete: (name: string) => void }) {
  const { node } = props;
  const when = node.snaptime ? new Date(node.snaptime * 1000).toLocaleString() : '';
  return (
    <li role="treeitem" aria-expanded={node.children.length ? true : undefined} aria-current={node.current ? 'step' : undefined} data-testid={node.current ? 'snapshot-current' : `snapshot-${node.name}`}>
      <div className={`px-snap ${node.current ? 'px-snap-current' : ''}`}>
        {node.current ? (
          <span className="px-snap-name">● You are here</span>
        ) : (
          <>
            <span className="px-snap-name">{node.name}</span>
            {node.vmstate && <span className="px-chip">RAM</span>}
            <span className="muted">{when}</span>
            {node.description && <span className="px-snap-desc">{node.description.split('\n')[0]}</span>}
            <span className="px-snap-actions">
              <button type="button" className="btn btn-ghost" disabled={props.busy} data-testid={`snapshot-rollback-${node.name}`} onClick={() => props.onRollback(node.name)}>
                Roll back…
              </button>
              <button type="button" className="btn btn-ghost btn-danger-ghost" disabled={props.busy} data-testid={`snapshot-delete-${node.name}`} onClick={() => props.onDelete(node.name)}>
                Delete…
              </button>
            </span>
          </>
        )}
      </div>
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

function CreateSnapshotDialog(props: { type: 'qemu' | 'lxc'; onClose: () => void; onCreate: (input: { name: string; description?: string; vmstate?: boolean }) => Promise<void> }) {
  const titleId = useId();
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
      await props.onCreate({ name, ...(description ? { description } : {}), ...(ram ? { vmstate: true } : {}) });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setBusy(false);
    }
  };
  return (
    <ConfirmLikeModal titleId={titleId} onClose={props.onClose}>
      <h2 id={titleId}>Take a snapshot</h2>
      <div className="modal-body">
        <label className="field">
          Name
          <input value={name} autoFocus data-testid="snapshot-name" onChange={(e) => setName(e.target.value.trim())} aria-invalid={name !== '' && !nameOk} />
          <span className="field-hint">2–40 letters, digits, “-” or “_”, starting with a letter.</span>
        </label>
        <label className="field">
          Description
          <textarea value={description} rows={3} data-testid="snapshot-description" onChange={(e) => setDescription(e.target.value)} />
        </label>
        {props.type === 'qemu' && (
          <label className="px-check">
            <input type="checkbox" checked={ram} data-testid="snapshot-ram" onChange={(e) => setRam(e.target.checked)} /> Include RAM (a rollback resumes the VM where it was; takes longer and more space)
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
        <button type="button" className="btn btn-primary" data-testid="snapshot-create" disabled={!nameOk || busy} onClick={() => void submit()}>
          {busy ? 'Starting…' : 'Take snapshot'}
        </button>
      </div>
    </ConfirmLikeModal>
  );
}

function ConfirmLikeModal(props: { titleId: string; onClose: () => void; children: ReactNode }) {
  return (
    <Modal titleId={props.titleId} onClose={props.onClose} className="confirm" testId="snapshot-create-dialog">
      {props.children}
    </Modal>
  );
}
