import { useEffect, useId, useState } from 'react';
import type { ProxmoxSettingsView } from '../../../shared/contract/proxmox';
import { useClient } from '../../hooks/useClient';
import './proxmox.css';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** When a guest's last successful backup counts as too old (its card then says so). */
export function BackupSettings() {
  const client = useClient();
  const inputId = useId();
  const [settings, setSettings] = useState<ProxmoxSettingsView | null>(null);
  const [hours, setHours] = useState('');
  const [note, setNote] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  useEffect(() => {
    let live = true;
    client.proxmox.settings({}).then(
      (s) => {
        if (!live) return;
        setSettings(s);
        setHours(String(s.backupMaxAgeHours));
      },
      (e: unknown) => live && setNote({ kind: 'error', text: message(e) }),
    );
    return () => {
      live = false;
    };
  }, [client]);
  if (!settings) return null;
  const value = Number(hours);
  const changed = hours !== String(settings.backupMaxAgeHours);
  const save = async () => {
    try {
      const next = await client.proxmox.setSettings({ backupMaxAgeHours: value });
      setSettings(next);
      setHours(String(next.backupMaxAgeHours));
      setNote({ kind: 'ok', text: 'Saved: the cards follow at once.' });
    } catch (e) {
      setNote({ kind: 'error', text: message(e) });
    }
  };
  return (
    <form
      className="px-backup-settings"
      data-testid="backup-settings"
      onSubmit={(e) => {
        e.preventDefault();
        if (changed) void save();
      }}
    >
      <label htmlFor={inputId}>Flag a guest whose last backup is older than</label>
      <input id={inputId} type="number" min={1} max={8784} step={1} value={hours} onChange={(e) => setHours(e.target.value)} />
      <span>hours</span>
      <button type="submit" className="btn btn-sm" disabled={!changed || !Number.isInteger(value) || value < 1}>
        Save
      </button>
      {note && (
        <span className={note.kind === 'error' ? 'form-error' : 'px-ok'} role={note.kind === 'error' ? 'alert' : 'status'}>
          {note.text}
        </span>
      )}
    </form>
  );
}
