import { useClient } from '../hooks/useClient';
import { useServer } from '../hooks/useServer';
import { useRackdeck } from '../store';
import { useUi } from '../ui-store';
import { ConfirmDialog } from './ConfirmDialog';

/** "Remove nas-01?" — says what happens to the machine (nothing) and to its guests (they stay). */
export function RemoveDialog() {
  const client = useClient();
  const id = useUi((u) => u.removingId);
  const server = useServer(id);
  const guests = useRackdeck((s) => (id ? Object.values(s.servers).filter((v) => v.parentId === id).length : 0));
  if (!id || !server) return null;
  const close = () => useUi.getState().closeRemove();
  return (
    <ConfirmDialog
      title={`Remove ${server.name}?`}
      confirmLabel="Remove"
      onClose={close}
      onConfirm={async (signal) => {
        await client.servers.remove({ id }, { signal });
        const ui = useUi.getState();
        if (ui.selectedId === id) ui.select(null);
        close();
      }}
    >
      <p>Rackdeck stops watching it and forgets its settings. The machine itself is not touched.</p>
      {guests > 0 && (
        <p>
          Its {guests} {guests === 1 ? 'guest stays' : 'guests stay'} in Rackdeck, without a parent.
        </p>
      )}
    </ConfirmDialog>
  );
}
