import { lazy, Suspense, useEffect, useState } from 'react';
import { useClient } from '../../hooks/useClient';
import { Icon } from '../Icon';
import { ensureAlerts, needsAttention, useAlerts } from './alerts-store';
import './metrics.css';

// Dialogs, not the first screen: loaded when first opened.
const ActionLog = lazy(() => import('./ActionLog').then((m) => ({ default: m.ActionLog })));
const AlertsPanel = lazy(() => import('./AlertsPanel').then((m) => ({ default: m.AlertsPanel })));

/** The top bar's way in: Alerts (with how many need attention) and the action log. */
export function MonitoringButtons() {
  const client = useClient();
  const [open, setOpen] = useState<'alerts' | 'log' | null>(null);
  useEffect(() => ensureAlerts(client), [client]);
  const pending = useAlerts((s) => Object.values(s.alerts).filter(needsAttention).length);
  const critical = useAlerts((s) => Object.values(s.alerts).some((a) => needsAttention(a) && a.severity === 'error'));
  return (
    <>
      <button type="button" className="btn btn-ghost topbar-alerts" data-testid="open-alerts" data-pending={pending || undefined} onClick={() => setOpen('alerts')} title={pending ? `${pending} alert(s) need attention` : 'Alerts and rules'}>
        <Icon name="alert" size={16} />
        <span className="label-wide">Alerts</span>
        {pending > 0 && (
          <span className="alert-count" data-critical={critical || undefined} data-testid="alert-count">
            {pending}
          </span>
        )}
      </button>
      <button type="button" className="btn btn-ghost" data-testid="open-log" onClick={() => setOpen('log')} title="Action log">
        <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
          <path d="M8 6h12M8 12h12M8 18h12M4 6h.01M4 12h.01M4 18h.01" />
        </svg>
        <span className="label-wide">Log</span>
      </button>
      <Suspense fallback={null}>
        {open === 'alerts' && <AlertsPanel onClose={() => setOpen(null)} />}
        {open === 'log' && <ActionLog onClose={() => setOpen(null)} />}
      </Suspense>
    </>
  );
}
