import { useState } from 'react';
import type { ServerView } from '../../../shared/server';
import { wolOffInterface, wolOffWarning } from '../../../shared/wol-readiness';
import { useClient } from '../../hooks/useClient';

/**
 * In a power-down confirmation: init saw Wake-on-LAN off on the interface whose MAC is used, so
 * the server would not come back by it. Says so, and offers the fix (ethtool over SSH, through
 * `power.useInterface`) before the admin confirms.
 */
export function WolOffNote({ server }: { server: ServerView }) {
  const client = useClient();
  const nic = wolOffInterface(server);
  const [state, setState] = useState<{ busy: boolean; error?: string }>({ busy: false });
  if (!nic) return null;
  const enable = async () => {
    setState({ busy: true });
    try {
      await client.power.useInterface({ id: server.id, interface: nic.name, enableWol: true });
      setState({ busy: false });
    } catch (e) {
      setState({ busy: false, error: e instanceof Error ? e.message : String(e) });
    }
  };
  return (
    <div className="pw-suggest pw-suggest-row" role="note" data-testid="wol-off-warning">
      <span>
        {server.name}: {wolOffWarning(nic.name)}
      </span>
      {server.ssh && (
        <button type="button" className="btn btn-sm" disabled={state.busy} data-testid="wol-off-enable" onClick={() => void enable()}>
          {state.busy ? 'Enabling…' : `Enable WoL on ${nic.name}`}
        </button>
      )}
      {state.error && (
        <span className="form-error" role="alert">
          {state.error}
        </span>
      )}
    </div>
  );
}

/** On the card: Wake-on-LAN is off where it would be needed. */
export function WolOffBadge({ iface }: { iface: string }) {
  return (
    <p className="pw-warn-text pw-wol-off" data-testid="wol-off-badge" title={`Init found Wake-on-LAN off on ${iface}: once down, it will not come back by Wake-on-LAN. Enable it in its details.`}>
      WoL off on {iface}
    </p>
  );
}
