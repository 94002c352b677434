import { lazy, Suspense, useState } from 'react';

// A dialog, not the first screen: loaded when first opened.
const IntegrationsPanel = lazy(() => import('./IntegrationsPanel').then((m) => ({ default: m.IntegrationsPanel })));

/** The top bar's way into the integrations' settings. */
export function IntegrationsButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="btn btn-ghost" data-testid="open-integrations" title="Prometheus, Home Assistant and remote history" onClick={() => setOpen(true)}>
        <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
          <path d="M9 7V3M15 7V3M7 7h10v4a5 5 0 0 1-10 0V7ZM12 16v5" />
        </svg>
        <span className="label-wide">Integrations</span>
      </button>
      <Suspense fallback={null}>{open && <IntegrationsPanel onClose={() => setOpen(false)} />}</Suspense>
    </>
  );
}
