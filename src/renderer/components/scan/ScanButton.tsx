import { useState } from 'react';
import { ScanDialog } from './ScanDialog';

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
      {open && <ScanDialog onClose={() => setOpen(false)} />}
    </>
  );
}
