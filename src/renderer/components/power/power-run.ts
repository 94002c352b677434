import type { RackdeckClient } from '../../../shared/contract';
import { RackdeckError } from '../../../shared/ipc';
import type { PowerAction } from '../../../shared/server';
import { useRackdeck } from '../../store';
import { useUi } from '../../ui-store';
import { ACTION_LABELS } from '../../../shared/power-actions';

/**
 * Sends a power action from a card. When main wants a confirmation first (a parent with running
 * children), the card's question goes to the one confirm dialog; any other refusal becomes a
 * notice, since a card has no room for it (main's own failures show on the card as lastError).
 */
export async function runFromCard(client: RackdeckClient, server: { id: string; name: string }, action: PowerAction): Promise<void> {
  try {
    await client.power.run({ id: server.id, action });
  } catch (e) {
    if (e instanceof RackdeckError && e.fields?.confirm === 'required') {
      useUi.getState().askPower({ id: server.id, action, reason: e.message });
      return;
    }
    useRackdeck.getState().pushNotice({
      id: `power-${server.id}-${Date.now()}`,
      at: Date.now(),
      level: 'error',
      title: `Could not ${ACTION_LABELS[action].toLowerCase()} ${server.name}`,
      body: e instanceof Error ? e.message : String(e),
      serverId: server.id,
    });
  }
}
