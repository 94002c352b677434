import type { Dispatch, SetStateAction } from 'react';
import { ACTION_LABELS } from '../../shared/power-actions';
import { POWER_ACTIONS, type PowerAction, type ServerView } from '../../shared/server';
import type { FieldErrors, SecretValues, ServerFormValues } from '../lib/form-model';
import { FormField } from './FormField';
import { SecretInput, Switch } from './ServerFormControls';
import { LocalCommandsNote } from './power/LocalCommandsNote';

/**
 * The server form's collapsible sections: SSH, Wake-on-LAN and power commands. The values live
 * in ServerForm; a section reads them and changes them through its binding.
 */

export type SecretKey = 'sshPassword' | 'sshPassphrase' | 'wolPassword';

/** What a section reads and changes of the form's values. */
export interface FormBinding {
  values: ServerFormValues;
  setValues: Dispatch<SetStateAction<ServerFormValues>>;
  errors: FieldErrors;
  set: <K extends keyof ServerFormValues>(key: K, value: ServerFormValues[K]) => void;
  /** `value` and `onChange` for a text input of a string field. */
  text: (key: keyof ServerFormValues) => { value: string; onChange: (e: { target: { value: string } }) => void };
}

/** The secrets typed so far, and which ones main already holds (never their values). */
export interface SecretBinding {
  secrets: SecretValues;
  stored: NonNullable<ServerView['secretsSet']>;
  setSecret: (key: SecretKey, value: string) => void;
  setClear: (key: keyof SecretValues['clear'], clear: boolean) => void;
}

/** A section's `<details>`: open or not, kept in the form so a field with an error can open it. */
interface Fold {
  open: boolean;
  onToggle: (e: { currentTarget: HTMLDetailsElement }) => void;
}

const PLACEHOLDERS: Record<PowerAction, string> = {
  wake: 'ipmitool -H bmc-{ip} chassis power on',
  suspend: 'rtcwake -m mem -s 0',
  hibernate: 'systemctl hibernate',
  shutdown: 'shutdown /s /t 0',
  reboot: 'shutdown /r /t 0',
};

export function SshSection({ form, secret, fold }: { form: FormBinding; secret: SecretBinding; fold: Fold }) {
  const { values, errors, set, text } = form;
  const { secrets, stored, setSecret, setClear } = secret;
  const sshOn = values.sshUser.trim() !== '' || values.sshKeyPath.trim() !== '';
  return (
    <details className="form-section" open={fold.open} onToggle={fold.onToggle} data-testid="section-ssh">
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
  );
}

export function WolSection({ form, secret, fold }: { form: FormBinding; secret: SecretBinding; fold: Fold }) {
  const { values, errors, set, text } = form;
  const { secrets, stored, setSecret, setClear } = secret;
  return (
    <details className="form-section" open={fold.open} onToggle={fold.onToggle} data-testid="section-wol">
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
  );
}

export function PowerSection({ form, fold }: { form: FormBinding; fold: Fold }) {
  const { values, setValues, errors, set } = form;
  const setCommand = (a: PowerAction, patch: Partial<ServerFormValues['commands'][PowerAction]>) =>
    setValues((v) => ({ ...v, commands: { ...v.commands, [a]: { ...v.commands[a], ...patch } } }));
  const customCount = POWER_ACTIONS.filter((a) => values.commands[a].command.trim() !== '').length;
  return (
    <details className="form-section" open={fold.open} onToggle={fold.onToggle} data-testid="section-power">
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
        <LocalCommandsNote />
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
  );
}
