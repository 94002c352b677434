import { lazy, Suspense, useState } from 'react';

// A dialog, not the first screen: loaded when first opened.
const SchedulesPanel = lazy(() => import('./SchedulesPanel').then((m) => ({ default: m.SchedulesPanel })));

/** The top bar's way into schedules and idle auto-suspend. */
export function SchedulesButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="btn btn-ghost" data-testid="open-schedules" title="Schedules and idle auto-suspend" onClick={() => setOpen(true)}>
        <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
          <circle cx="12" cy="12" r="9" />
          <path d="M12 7v5l3 2" />
        </svg>
        <span className="label-wide">Schedules</span>
      </button>
      <Suspense fallback={null}>{open && <SchedulesPanel onClose={() => setOpen(false)} />}</Suspense>
    </>
  );
}
