import { useId, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { SecretField } from '../../shared/contract/power';
import { ACTION_LABELS } from '../../shared/contract/power';
import { POWER_ACTIONS, SERVER_KINDS, type PowerAction, type ServerView } from '../../shared/server';
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

const PLACEHOLDERS: Record<PowerAction, string> = {
  wake: 'ipmitool -H bmc-{ip} chassis power on',
  suspend: 'rtcwake -m mem -s 0',
  hibernate: 'systemctl hibernate',
  shutdown: 'shutdown /s /t 0',
  reboot: 'shutdown /r /t 0',
};

/** A secret input: never filled from main (it cannot be read back), only "stored" or not. */
function SecretInput(props: {
  field: FieldKey;
  label: string;
  stored: boolean;
  value: string;
  clear: boolean;
  error?: string | undefined;
  hint: string;
  onChange: (value: string) => void;
  onClear: (clear: boolean) => void;
  className?: string;
}) {
  return (
    <FormField field={props.field} label={props.label} hint={props.stored ? `Stored encrypted. Type a new one to replace it.` : props.hint} error={props.error} {...(props.className ? { className: props.className } : {})}>
      {(p) => (
        <div className="secret-input">
          <input
            {...p}
            type="password"
            autoComplete="new-password"
            value={props.value}
            disabled={props.clear}
            placeholder={props.stored ? '•••••••• (stored)' : ''}
            onChange={(e) => props.onChange(e.target.value)}
          />
          {props.stored && (
            <label className="secret-clear">
              <input type="checkbox" checked={props.clear} onChange={(e) => props.onClear(e.target.checked)} /> Remove
            </label>
          )}
        </div>
      )}
    </FormField>
  );
}

function Switch(props: { checked: boolean; onChange: (v: boolean) => void; children: ReactNode; testId: string; hint?: string }) {
  return (
    <label className="switch-row">
      <input type="checkbox" role="switch" checked={props.checked} data-testid={props.testId} onChange={(e) => props.onChange(e.target.checked)} />
      <span>
        {props.children}
        {props.hint && <span className="muted"> · {props.hint}</span>}
      </span>
    </label>
  );
}

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
  const setCommand = (a: PowerAction, patch: Partial<ServerFormValues['commands'][PowerAction]>) =>
    setValues((v) => ({ ...v, commands: { ...v.commands, [a]: { ...v.commands[a], ...patch } } }));
  const setSecret = (key: 'sshPassword' | 'sshPassphrase' | 'wolPassword', value: string) => setSecrets((s) => ({ ...s, [key]: value }));
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
    const one = (key: 'sshPassword' | 'sshPassphrase' | 'wolPassword', name: SecretField, field: FieldKey, applies: boolean) => {
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
  const sshOn = values.sshUser.trim() !== '' || values.sshKeyPath.trim() !== '';
  const customCount = POWER_ACTIONS.filter((a) => values.commands[a].command.trim() !== '').length;

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

          <details className="form-section" open={open.ssh} onToggle={toggle('ssh')} data-testid="section-ssh">
            <summary>
              SSH <span className="muted">{sshOn ? `${values.sshUser || '?'}@${values.address || '…'}` : 'optional · for suspend, shutdown, init and metrics'}</span>
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
              {values.sshAuth === 'key' && (
                <>
                  <FormField field="ssh.keyPath" label="SSH key path" hint="A private key on the machine running Rackdeck" error={errors['ssh.keyPath']} className="span-2">
                    {(p) => <input {...p} {...text('sshKeyPath')} autoComplete="off" spellCheck={false} placeholder="~/.ssh/id_ed25519" className="mono" />}
                  </FormField>
                  <SecretInput
                    field="ssh.passphrase"
                    label="Key passphrase"
                    hint="If the key has one"
                    stored={stored.sshPassphrase}
                    value={secrets.sshPassphrase}
                    clear={secrets.clear.sshPassphrase}
                    error={errors['ssh.passphrase']}
                    onChange={(v) => setSecret('sshPassphrase', v)}
                    onClear={(c) => setClear('sshPassphrase', c)}
                  />
                </>
              )}
              {values.sshAuth === 'password' && (
                <SecretInput
                  field="ssh.password"
                  label="SSH password"
                  hint="Stored encrypted on this machine, never shown again"
                  stored={stored.sshPassword}
                  value={secrets.sshPassword}
                  clear={secrets.clear.sshPassword}
                  error={errors['ssh.password']}
                  onChange={(v) => setSecret('sshPassword', v)}
                  onClear={(c) => setClear('sshPassword', c)}
                  className="span-3"
                />
              )}
            </div>
          </details>

          <details className="form-section" open={open.wol} onToggle={toggle('wol')} data-testid="section-wol">
            <summary>
              Wake-on-LAN{' '}
              <span className="muted">
                {[values.wolDirected && 'subnet broadcast', values.wolLimited && '255.255.255.255', values.wolUnicast && 'unicast', values.wolTargets.trim() && 'extra targets'].filter(Boolean).join(', ') || 'no target'}
                {values.wolSecureOn ? ' · SecureOn' : ''}
              </span>
            </summary>
            <div className="form-section-body">
              <div className="switches">
                <Switch checked={values.wolDirected} onChange={(v) => set('wolDirected', v)} testId="wol-directed" hint="the host's subnet, from its address and netmask">
                  Subnet broadcast
                </Switch>
                <Switch checked={values.wolLimited} onChange={(v) => set('wolLimited', v)} testId="wol-limited" hint="255.255.255.255">
                  Limited broadcast
                </Switch>
                <Switch checked={values.wolUnicast} onChange={(v) => set('wolUnicast', v)} testId="wol-unicast" hint="to its own address, where the switch still knows it">
                  Unicast
                </Switch>
              </div>
              <div className="form-grid form-grid-3">
                <FormField field="wol.ports" label="UDP ports" hint="Usually 9 and 7" error={errors['wol.ports']}>
                  {(p) => <input {...p} {...text('wolPorts')} autoComplete="off" inputMode="numeric" placeholder="9, 7" className="mono" />}
                </FormField>
                <FormField field="wol.netmask" label="Netmask" hint="For the subnet broadcast" error={errors['wol.netmask']}>
                  {(p) => <input {...p} {...text('wolNetmask')} autoComplete="off" spellCheck={false} placeholder="255.255.255.0" className="mono" disabled={!values.wolDirected} />}
                </FormField>
                <FormField field="wol.bindAddress" label="Send from" hint="A local IPv4 address (optional)" error={errors['wol.bindAddress']}>
                  {(p) => <input {...p} {...text('wolBind')} autoComplete="off" spellCheck={false} placeholder="192.168.1.5" className="mono" />}
                </FormField>
                <FormField field="wol.extraTargets" label="Also send to" hint="Relays, routers or other addresses, comma-separated" error={errors['wol.extraTargets']} className="span-3">
                  {(p) => <input {...p} {...text('wolTargets')} autoComplete="off" spellCheck={false} placeholder="192.168.1.1" className="mono" />}
                </FormField>
              </div>
              <Switch checked={values.wolSecureOn} onChange={(v) => set('wolSecureOn', v)} testId="wol-secureon" hint="for network cards that demand a password">
                SecureOn password
              </Switch>
              {values.wolSecureOn && (
                <SecretInput
                  field="wol.password"
                  label="SecureOn password"
                  hint="4 bytes as 192.168.1.1 or 6 as aa:bb:cc:dd:ee:ff"
                  stored={stored.wolPassword}
                  value={secrets.wolPassword}
                  clear={secrets.clear.wolPassword}
                  error={errors['wol.password']}
                  onChange={(v) => setSecret('wolPassword', v)}
                  onClear={(c) => setClear('wolPassword', c)}
                />
              )}
            </div>
          </details>

          <details className="form-section" open={open.power} onToggle={toggle('power')} data-testid="section-power">
            <summary>
              Power commands{' '}
              <span className="muted">
                {customCount > 0 ? `${customCount} custom` : 'systemctl over SSH'}
                {values.useSudo ? ' · sudo' : ''}
              </span>
            </summary>
            <div className="form-section-body">
              <Switch checked={values.useSudo} onChange={(v) => set('useSudo', v)} testId="power-sudo" hint="sudo -n: a missing sudoers rule fails at once instead of prompting">
                Run power commands with sudo
              </Switch>
              <p className="muted form-note">
                A custom command replaces the built-in one (for BMCs, Windows hosts, sleep-on-LAN daemons). <code>{'{ip}'}</code> and <code>{'{mac}'}</code> are filled in from the checked address and MAC. Over SSH it runs on the
                server (a wake command runs on its parent); locally it runs here, without a shell.
              </p>
              <div className="cmd-grid">
                {POWER_ACTIONS.map((a) => (
                  <FormField key={a} field={`cmd.${a}`} label={ACTION_LABELS[a]} error={errors[`cmd.${a}`]} className="cmd-row">
                    {(p) => (
                      <div className="cmd-input">
                        <input {...p} value={values.commands[a].command} autoComplete="off" spellCheck={false} className="mono" placeholder={PLACEHOLDERS[a]} onChange={(e) => setCommand(a, { command: e.target.value })} />
                        <select aria-label={`Where the ${ACTION_LABELS[a].toLowerCase()} command runs`} value={values.commands[a].runOn} onChange={(e) => setCommand(a, { runOn: e.target.value as 'ssh' | 'local' })}>
                          <option value="ssh">over SSH</option>
                          <option value="local">here</option>
                        </select>
                      </div>
                    )}
                  </FormField>
                ))}
              </div>
              <p className="form-sub">Give up waiting after</p>
              <div className="form-grid form-grid-4">
                {(['wake', 'suspend', 'shutdown', 'reboot'] as const).map((k) => (
                  <FormField key={k} field={`timeout.${k}`} label={`${ACTION_LABELS[k]} (s)`} hint={`default ${k === 'suspend' ? 120 : k === 'shutdown' ? 180 : 300}`} error={errors[`timeout.${k}`]}>
                    {(p) => (
                      <input
                        {...p}
                        value={values.timeouts[k]}
                        inputMode="numeric"
                        autoComplete="off"
                        className="mono"
                        onChange={(e) => setValues((v) => ({ ...v, timeouts: { ...v.timeouts, [k]: e.target.value } }))}
                      />
                    )}
                  </FormField>
                ))}
              </div>
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
