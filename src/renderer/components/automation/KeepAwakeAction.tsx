import { useState } from 'react';
import type { Notice } from '../../../shared/events';
import { useClient } from '../../hooks/useClient';

/** The "keep awake for 2 h" button on the notice idle auto-suspend raises. */
export function KeepAwakeAction({ offer }: { offer: NonNullable<Notice['keepAwake']> }) {
  const client = useClient();
  const [state, setState] = useState<'idle' | 'busy' | 'done' | 'failed'>('idle');
  const hours = Math.round(offer.minutes / 60);
  return (
    <button
      type="button"
      className="btn btn-ghost toast-action"
      data-testid="toast-keep-awake"
      disabled={state === 'busy' || state === 'done'}
      onClick={() => {
        setState('busy');
        client.automation.keepAwake({ serverId: offer.serverId, minutes: offer.minutes }).then(
          () => setState('done'),
          () => setState('failed'),
        );
      }}
    >
      {state === 'done' ? `Kept awake ${hours} h` : state === 'failed' ? 'Could not keep it awake' : `Keep awake ${hours} h`}
    </button>
  );
}
