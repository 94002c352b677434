import { useId, useMemo, useRef, useState, type FormEvent } from 'react';
import type { SecretField } from '../../shared/contract/power';
import { SERVER_KINDS, type ServerView } from '../../shared/server';
import { isCancelled } from '../../shared/ipc';
import { useClient } from '../hooks/useClient';
import { useDialogSignal } from '../hooks/useDialogSignal';
import {
  emptySecrets,
  emptyValues,
  errorsFromServer,
  parseForm,
  valuesFromServer,
  type FieldErrors,
  type FieldKey,
  type SecretValues,
  type ServerFormValues,
} from '../lib/form-model';
import { KIND_LABELS } from '../lib/kinds';
import { useRackdeck } from '../store';
import { useUi } from '../ui-store';
import { FormField } from './FormField';
import { Icon } from './Icon';
import { Modal } from './Modal';
import { PowerSection, SshSection, WolSection, type FormBinding, type SecretBinding, type SecretKey } from './ServerFormSections';

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

type Section = 'ssh' | 'wol' | 'power';
const SECTION_OF = (key: string): Section | undefined => (key.startsWith('ssh.') ? 'ssh' : key.startsWith('wol.') ? 'wol' : key.startsWith('cmd.') || key.startsWith('timeout.') ? 'power' : undefined);

/**
 * Add or edit a server. The input is checked on submit with the same zod schema the engine uses;
 * whatever the engine still refuses (a taken name, a bad parent) comes back under its field.
 * Secrets (SSH password or key passphrase, the SecureOn password) go to main's encrypted store
 * after the server is saved, and are never shown: the form only knows whether one is stored.
 */
export function ServerForm({ editing }: { editing?: ServerView }) {
  const client = useClient();
  const signal = useDialogSignal();
  const titleId = useId();
  const mode = editing ? 'edit' : 'add';
  const [values, setValues] = useState<ServerFormValues>(() => (editing ? valuesFromServer(editing) : emptyValues()));
  const [secrets, setSecrets] = useState<SecretValues>(emptySecrets);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState<Record<Section, boolean>>(() => ({
    ssh: Boolean(editing?.ssh),
    wol: Boolean(editing?.wol),
    power: Boolean(editing?.powerControl && (editing.powerControl.useSudo || Object.keys(editing.powerControl.customCommands).length > 0)),
  }));
  const formRef = useRef<HTMLFormElement>(null);
  const servers = useRackdeck((s) => s.servers);
  const parents = useMemo(() => parentChoices(servers, editing?.id), [servers, editing?.id]);
  const stored = editing?.secretsSet ?? { sshPassword: false, sshPassphrase: false, wolPassword: false };
  const close = () => useUi.getState().closeForm();

  const set = <K extends keyof ServerFormValues>(key: K, value: ServerFormValues[K]) => setValues((v) => ({ ...v, [key]: value }));
  const setSecret = (key: SecretKey, value: string) => setSecrets((s) => ({ ...s, [key]: value }));
  const setClear = (key: keyof SecretValues['clear'], clear: boolean) => setSecrets((s) => ({ ...s, clear: { ...s.clear, [key]: clear } }));
  const focusFirstError = (errs: FieldErrors) => {
    const sections = Object.keys(errs).map(SECTION_OF).filter((x): x is Section => x !== undefined);
    if (sections.length) setOpen((o) => ({ ...o, ...Object.fromEntries(sections.map((s) => [s, true])) }));
    const first = Object.keys(errs)[0] as FieldKey | undefined;
    if (first) requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>(`[data-testid="field-${first}"]`)?.focus());
  };

  /** The secrets to store or remove once the server exists. */
  const secretChanges = (): { name: SecretField; value: string | null; field: FieldKey }[] => {
    const out: { name: SecretField; value: string | null; field: FieldKey }[] = [];
    const one = (key: SecretKey, name: SecretField, field: FieldKey, applies: boolean) => {
      if (secrets.clear[key]) out.push({ name, value: null, field });
      else if (applies && secrets[key] !== '') out.push({ name, value: secrets[key], field });
    };
    const ssh = values.sshUser.trim() !== '';
    one('sshPassword', 'ssh.password', 'ssh.password', ssh && values.sshAuth === 'password');
    one('sshPassphrase', 'ssh.passphrase', 'ssh.passphrase', ssh && values.sshAuth === 'key');
    one('wolPassword', 'wol.password', 'wol.password', values.wolSecureOn);
    return out;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseForm(values, mode, secrets);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      setFormError(null);
      focusFirstError(parsed.errors);
      return;
    }
    if (values.wolSecureOn && !stored.wolPassword && secrets.wolPassword.trim() === '') {
      const errs: FieldErrors = { 'wol.password': 'SecureOn needs the password the network card was given' };
      setErrors(errs);
      focusFirstError(errs);
      return;
    }
    setBusy(true);
    setErrors({});
    setFormError(null);
    let view: ServerView;
    try {
      view = editing ? await client.servers.edit({ id: editing.id, patch: parsed.spec }, { signal: signal() }) : await client.servers.add(parsed.spec, { signal: signal() });
    } catch (err) {
      if (isCancelled(err)) return;
      const { message, fields } = errorOf(err);
      const placed = errorsFromServer(fields);
      setErrors(placed.fields);
      setFormError(Object.keys(placed.fields).length > 0 && placed.unplaced.length === 0 ? null : message);
      focusFirstError(placed.fields);
      setBusy(false);
      return;
    }
    for (const change of secretChanges()) {
      try {
        await client.power.setSecret({ id: view.id, name: change.name, value: change.value }, { signal: signal() });
      } catch (err) {
        // The form was closed: nothing to show, and it must not reopen itself.
        if (isCancelled(err)) return;
        // The server is saved; keep the form open on it so the secret can be fixed.
        const errs: FieldErrors = { [change.field]: errorOf(err).message };
        setErrors(errs);
        setFormError(`${view.name} was saved, but a secret was not stored.`);
        focusFirstError(errs);
        setBusy(false);
        if (!editing) useUi.getState().openEdit(view.id);
        return;
      }
    }
    close();
    useUi.getState().flash(view.id);
  };

  const text = (key: keyof ServerFormValues) => ({
    value: values[key] as string,
    onChange: (e: { target: { value: string } }) => set(key, e.target.value as never),
  });
  const toggle = (section: Section) => (e: { currentTarget: HTMLDetailsElement }) => {
    const isOpen = e.currentTarget.open;
    setOpen((o) => (o[section] === isOpen ? o : { ...o, [section]: isOpen }));
  };
  const form: FormBinding = { values, setValues, errors, set, text };
  const secret: SecretBinding = { secrets, stored, setSecret, setClear };

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
            <FormField field="parentId" label="Runs on" hint="Its host: woken first, before it" error={errors.parentId}>
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

          <SshSection form={form} secret={secret} fold={{ open: open.ssh, onToggle: toggle('ssh') }} />
          <WolSection form={form} secret={secret} fold={{ open: open.wol, onToggle: toggle('wol') }} />
          <PowerSection form={form} fold={{ open: open.power, onToggle: toggle('power') }} />

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
