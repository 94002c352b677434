import { useState } from 'react';
import type { DesiredPower, ServerView } from '../../../shared/server';
import { useClient } from '../../hooks/useClient';
import './power.css';

const CHOICES: { value: DesiredPower | null; label: string; needs?: 'wake' | 'suspend' | 'shutdown' }[] = [
  { value: null, label: 'Leave alone' },
  { value: 'on', label: 'Keep on', needs: 'wake' },
  { value: 'suspended', label: 'Keep asleep', needs: 'suspend' },
  { value: 'off', label: 'Keep off', needs: 'shutdown' },
];

const EXPLAIN: Record<'none' | DesiredPower, string> = {
  none: 'Rackdeck only watches it; power changes only when you ask.',
  on: 'If it goes down, Rackdeck wakes it again (its parent first), with retries and backoff.',
  suspended: 'If it comes up, Rackdeck puts it back to sleep. It never wakes a machine just to suspend it.',
  off: 'If it comes up, Rackdeck shuts it down again (asking first if guests still run on it).',
};

/**
 * Where the reconcile loop keeps the server, apart from what it is now: a segmented choice that
 * is saved at once. A choice the server cannot be driven to (no MAC to wake it, no SSH to put it
 * to sleep) is disabled with the reason.
 */
export function DesiredState({ server }: { server: ServerView }) {
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const current = server.desired ?? null;
  const choose = async (value: DesiredPower | null) => {
    if (value === current) return;
    setBusy(true);
    setError(null);
    try {
      await client.power.setDesired({ id: server.id, desired: value });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="pw-desired" data-testid="desired-state">
      <div className="segmented" role="radiogroup" aria-label="Keep this server">
        {CHOICES.map((c) => {
          const able = !c.needs || server.capabilities?.[c.needs] !== false;
          return (
            <button
              key={c.label}
              type="button"
              role="radio"
              aria-checked={current === c.value}
              disabled={busy || !able}
              title={able ? undefined : `Rackdeck cannot ${c.needs === 'wake' ? 'wake it (no MAC address)' : 'put it down (no SSH or custom command)'}`}
              data-testid={`desired-${c.value ?? 'none'}`}
              onClick={() => void choose(c.value)}
            >
              {c.label}
            </button>
          );
        })}
      </div>
      <p className="muted">{EXPLAIN[current ?? 'none']}</p>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
