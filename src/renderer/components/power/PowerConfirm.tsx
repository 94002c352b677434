import { useServer } from '../../hooks/useServer';
import { useClient } from '../../hooks/useClient';
import { useUi } from '../../ui-store';
import { ACTION_LABELS } from '../../../shared/power-actions';
import { ConfirmDialog } from '../ConfirmDialog';
import { confirmText } from './power-view';
import { powersDown } from '../../../shared/wol-readiness';
import { WolOffNote } from './WolOffNote';

/** The one confirmation dialog for the cards' destructive power actions (a card keeps no dialog state of its own). */
export function PowerConfirm() {
  const client = useClient();
  const ask = useUi((u) => u.powerAsk);
  const server = useServer(ask?.id);
  if (!ask || !server) return null;
  const label = ACTION_LABELS[ask.action];
  const close = () => useUi.getState().askPower(null);
  return (
    <ConfirmDialog
      title={`${label} ${server.name}?`}
      confirmLabel={label}
      onClose={close}
      onConfirm={async () => {
        await client.power.run({ id: server.id, action: ask.action, confirm: true });
        close();
      }}
    >
      <p>{ask.reason ?? confirmText(ask.action, server.name)}</p>
      {powersDown(ask.action) && <WolOffNote server={server} />}
    </ConfirmDialog>
  );
}
