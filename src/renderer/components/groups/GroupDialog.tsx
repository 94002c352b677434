import { useId, useState, type FormEvent } from 'react';
import { isCancelled } from '../../../shared/ipc';
import { groupNameSchema } from '../../../shared/server';
import { useClient } from '../../hooks/useClient';
import { useDialogSignal } from '../../hooks/useDialogSignal';
import { useRackdeck } from '../../store';
import { Modal } from '../Modal';
import { useGroupFilter } from './filter-store';

/** "New group": a name and the servers to put in it; the group exists once it has a member. */
export function GroupDialog() {
  const open = useGroupFilter((f) => f.editing);
  return open ? <GroupForm /> : null;
}

function GroupForm() {
  const client = useClient();
  const signal = useDialogSignal();
  const titleId = useId();
  const servers = useRackdeck((s) => s.servers);
  const [name, setName] = useState('');
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const close = () => useGroupFilter.getState().edit(false);
  const list = Object.values(servers).sort((a, b) => a.name.localeCompare(b.name));
  const toggle = (id: string) => setPicked((p) => (p.has(id) ? new Set([...p].filter((x) => x !== id)) : new Set([...p, id])));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = groupNameSchema.safeParse(name);
    if (!parsed.success) return setError(parsed.error.issues[0]?.message ?? 'a group name is required');
    if (picked.size === 0) return setError('pick at least one server for the group');
    setBusy(true);
    setError(null);
    try {
      await client.groups.add({ group: parsed.data, servers: [...picked] }, { signal: signal() });
      useGroupFilter.setState({ group: parsed.data, editing: false });
    } catch (err) {
      if (isCancelled(err)) return;
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  };
  return (
    <Modal titleId={titleId} onClose={close} className="form-modal group-modal" testId="group-dialog">
      <form onSubmit={(e) => void submit(e)}>
        <div className="modal-head">
          <h2 id={titleId}>New group</h2>
        </div>
        <div className="modal-body">
          <label className="field">
            <span>Name</span>
            <input data-testid="group-name" value={name} autoFocus placeholder="rack1" onChange={(e) => {
                setName(e.target.value);
                setError(null);
              }}
            />
          </label>
          <fieldset className="group-members">
            <legend>Servers in it</legend>
            {list.map((s) => (
              <label key={s.id} className="group-member">
                <input type="checkbox" data-testid="group-member" data-server-id={s.id} checked={picked.has(s.id)} onChange={() => toggle(s.id)} />
                {s.name}
                {s.groups && s.groups.length > 0 && <small>{s.groups.join(', ')}</small>}
              </label>
            ))}
          </fieldset>
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
        </div>
        <div className="modal-actions">
          <button type="button" className="btn" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" data-testid="group-save" disabled={busy}>
            {busy ? 'Saving…' : 'Create group'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
