import { useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { SERVER_KINDS, type ServerView } from '../../shared/server';
import { useClient } from '../hooks/useClient';
import { emptyValues, errorsFromServer, parseForm, valuesFromServer, type FieldErrors, type FieldKey, type ServerFormValues } from '../lib/form-model';
import { KIND_LABELS } from '../lib/kinds';
import { useRackdeck } from '../store';
import { useUi } from '../ui-store';
import { FormField } from './FormField';
import { Icon } from './Icon';
import { Modal } from './Modal';

/** Servers that may be chosen as parent: not itself and not one of its own descendants. */
function parentChoices(servers: Record<string, ServerView>, selfId: string | undefined): ServerView[] {
  const banned = new Set<string>();
  if (selfId) {
    banned.add(selfId);
    let grew = true;
    while (grew) {
      grew = false;
      for (const s of Object.values(servers)) {
        if (s.parentId && banned.has(s.parentId) && !banned.has(s.id)) {
          banned.add(s.id);
          grew = true;
        }
      }
    }
  }
  return Object.values(servers)
    .filter((s) => !banned.has(s.id))
    .sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
}

function errorOf(e: unknown): { message: string; fields?: Record<string, string> } {
  if (e && typeof e === 'object') {
    const { message, fields } = e as { message?: unknown; fields?: unknown };
    return {
      message: typeof message === 'string' ? message : String(e),
      ...(fields && typeof fields === 'object' ? { fields: fields as Record<string, string> } : {}),
    };
  }
  return { message: String(e) };
}

/**
 * Add or edit a server. The input is checked on submit with the same zod schema the engine uses;
 * whatever the engine still refuses (a taken name, a bad parent) comes back under its field.
 */
export function ServerForm({ editing }: { editing?: ServerView }) {
  const client = useClient();
  const titleId = useId();
  const mode = editing ? 'edit' : 'add';
  const [values, setValues] = useState<ServerFormValues>(() => (editing ? valuesFromServer(editing) : emptyValues()));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [sshOpen, setSshOpen] = useState(() => Boolean(editing?.ssh));
  const formRef = useRef<HTMLFormElement>(null);
  const servers = useRackdeck((s) => s.servers);
  const parents = useMemo(() => parentChoices(servers, editing?.id), [servers, editing?.id]);
  const close = () => useUi.getState().closeForm();

  const set = <K extends keyof ServerFormValues>(key: K, value: ServerFormValues[K]) => setValues((v) => ({ ...v, [key]: value }));
  const focusFirstError = (errs: FieldErrors) => {
    if (Object.keys(errs).some((k) => k.startsWith('ssh.'))) setSshOpen(true);
    const first = Object.keys(errs)[0] as FieldKey | undefined;
    if (first) requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>(`[data-testid="field-${first}"]`)?.focus());
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseForm(values, mode);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      setFormError(null);
      focusFirstError(parsed.errors);
      return;
    }
    setBusy(true);
    setErrors({});
    setFormError(null);
    try {
      const view = editing ? await client.servers.edit({ id: editing.id, patch: parsed.spec }) : await client.servers.add(parsed.spec);
      close();
      useUi.getState().flash(view.id);
    } catch (err) {
      const { message, fields } = errorOf(err);
      const placed = errorsFromServer(fields);
      setErrors(placed.fields);
      setFormError(Object.keys(placed.fields).length > 0 && placed.unplaced.length === 0 ? null : message);
      focusFirstError(placed.fields);
      setBusy(false);
    }
  };

  const text = (key: keyof ServerFormValues) => ({
    value: values[key],
    onChange: (e: { target: { value: string } }) => set(key, e.target.value as never),
  });

  return (
    <Modal titleId={titleId} onClose={close} className="form-modal" testId="server-form">
      <form ref={formRef} onSubmit={(e) => void submit(e)} noValidate>
        <header className="modal-head">
          <h2 id={titleId}>{editing ? `Edit ${editing.name}` : 'Add a server'}</h2>
          <button type="button" className="icon-btn" aria-label="Close" onClick={close}>
            <Icon name="close" />
          </button>
        </header>
        <div className="modal-body">
          {formError && (
            <p className="form-error" role="alert" data-testid="form-error">
              {formError}
            </p>
          )}
          <div className="form-grid">
            <FormField field="name" label="Name" error={errors.name}>
              {(p) => <input {...p} {...text('name')} autoFocus autoComplete="off" placeholder="nas-01" />}
            </FormField>
            <FormField field="kind" label="Kind" error={errors.kind}>
              {(p) => (
                <select {...p} value={values.kind} onChange={(e) => set('kind', e.target.value as ServerFormValues['kind'])}>
                  {SERVER_KINDS.map((k) => (
                    <option key={k} value={k}>
                      {KIND_LABELS[k]}
                    </option>
                  ))}
                </select>
              )}
            </FormField>
            <FormField field="address" label="Address" hint="Hostname or IP address" error={errors.address}>
              {(p) => <input {...p} {...text('address')} autoComplete="off" spellCheck={false} placeholder="192.168.1.20" className="mono" />}
            </FormField>
            <FormField field="mac" label="MAC address" hint="For Wake-on-LAN (optional)" error={errors.mac}>
              {(p) => <input {...p} {...text('mac')} autoComplete="off" spellCheck={false} placeholder="aa:bb:cc:dd:ee:ff" className="mono" />}
            </FormField>
            <FormField field="ports" label="Ports" hint="TCP ports that mean “up”; empty means 22" error={errors.ports}>
              {(p) => <input {...p} {...text('ports')} autoComplete="off" inputMode="numeric" placeholder="22, 443" className="mono" />}
            </FormField>
            <FormField field="parentId" label="Runs on" hint="Its host, for VMs and containers" error={errors.parentId}>
              {(p) => (
                <select {...p} value={values.parentId} onChange={(e) => set('parentId', e.target.value)}>
                  <option value="">None (top level)</option>
                  {parents.map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.name} · {KIND_LABELS[s.kind]}
                    </option>
                  ))}
                </select>
              )}
            </FormField>
          </div>
          <details className="form-section" open={sshOpen} onToggle={(e) => setSshOpen(e.currentTarget.open)}>
            <summary>
              SSH <span className="muted">optional · for suspend, shutdown and metrics</span>
            </summary>
            <div className="form-grid form-grid-3">
              <FormField field="ssh.user" label="SSH user" error={errors['ssh.user']}>
                {(p) => <input {...p} {...text('sshUser')} autoComplete="off" spellCheck={false} placeholder="root" />}
              </FormField>
              <FormField field="ssh.port" label="SSH port" error={errors['ssh.port']}>
                {(p) => <input {...p} {...text('sshPort')} autoComplete="off" inputMode="numeric" placeholder="22" className="mono" />}
              </FormField>
              <FormField field="ssh.auth" label="Sign in with" error={errors['ssh.auth']}>
                {(p) => (
                  <select {...p} value={values.sshAuth} onChange={(e) => set('sshAuth', e.target.value as ServerFormValues['sshAuth'])}>
                    <option value="key">Key file</option>
                    <option value="agent">SSH agent</option>
                    <option value="password">Password</option>
                  </select>
                )}
              </FormField>
              <FormField field="ssh.keyPath" label="SSH key path" hint="A private key on the machine running Rackdeck" error={errors['ssh.keyPath']} className="span-3">
                {(p) => <input {...p} {...text('sshKeyPath')} autoComplete="off" spellCheck={false} placeholder="~/.ssh/id_ed25519" className="mono" />}
              </FormField>
            </div>
          </details>
          <FormField field="notes" label="Notes" error={errors.notes}>
            {(p) => <textarea {...p} {...text('notes')} rows={2} placeholder="Rack position, what runs on it, who to call…" />}
          </FormField>
        </div>
        <footer className="modal-actions">
          <button type="button" className="btn" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" data-testid="submit-server" disabled={busy}>
            {busy ? 'Saving…' : editing ? 'Save changes' : 'Add server'}
          </button>
        </footer>
      </form>
    </Modal>
  );
}
