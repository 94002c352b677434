import { lazy, Suspense, useState } from 'react';

// A dialog, not the first screen: loaded when first opened.
const ScanDialog = lazy(() => import('./ScanDialog').then((m) => ({ default: m.ScanDialog })));

/** The top bar's way into the network scan (issue 17). */
export function ScanButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="btn btn-ghost" data-testid="open-scan" title="Find what answers on a subnet and add it" onClick={() => setOpen(true)}>
        <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
          <circle cx="11" cy="11" r="7" />
          <path d="m20 20-3.5-3.5M8 11h6M11 8v6" />
        </svg>
        <span className="label-wide">Scan</span>
      </button>
      <Suspense fallback={null}>{open && <ScanDialog onClose={() => setOpen(false)} />}</Suspense>
    </>
  );
}
