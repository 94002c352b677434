import { memo, type MouseEvent } from 'react';
import type { PowerState } from '../../../shared/power';
import { POWER_ACTIONS } from '../../../shared/power';
import type { PowerCapabilities } from '../../../shared/server';
import { useClient } from '../../hooks/useClient';
import { useUi } from '../../ui-store';
import { iconClass } from '../Icon';
import { POWER_ICONS } from './PowerActions';
import { cardLayout, powerButtons, type PowerButton } from './power-view';
import { runFromCard } from './power-run';
import { powersDown } from '../../../shared/wol-readiness';
import './power.css';

/**
 * A card's power buttons when there is nothing else to say (no command running, no failure): a
 * button per action the server can do at all, those not possible now hidden rather than
 * removed, the fitting one labelled. No state of its own (confirmations go to PowerConfirm), so
 * a patch that flips 500 cards costs attribute changes, not thousands of new elements.
 */
export const CardPowerRow = memo(function CardPowerRow({ id, name, power, caps, wolOff = '' }: { id: string; name: string; power: PowerState; caps: string; wolOff?: string }) {
  const client = useClient();
  const server = { id, name };
  const buttons = powerButtons({ power, ...(caps ? { capabilities: decodeCaps(caps) } : {}) });
  if (buttons.length === 0) return null;
  const { primary, icons } = cardLayout(buttons);
  const click = (event: MouseEvent, b: PowerButton) => {
    event.stopPropagation();
    // Powering down a server Wake-on-LAN cannot bring back (`wolOff`: the interface) is asked about too.
    if (b.confirm || (wolOff && powersDown(b.action))) useUi.getState().askPower({ id: server.id, action: b.action });
    else void runFromCard(client, server, b.action);
  };
  return (
    <div className="pw-row pw-card-row" role="group" aria-label={`Power actions for ${server.name}`} data-testid="power-actions" hidden={!primary && icons.length === 0}>
      {buttons.map((b) =>
        b === primary ? (
          <button key={b.action} type="button" className={`btn btn-sm pw-primary ${iconClass(POWER_ICONS[b.action])}`} data-action={b.action} data-testid={`power-${b.action}`} onClick={(e) => click(e, b)}>
            {b.label}
          </button>
        ) : (
          <button
            key={b.action}
            type="button"
            hidden={!b.enabled}
            className={`icon-btn pw-icon ${iconClass(POWER_ICONS[b.action])} ${b.confirm ? 'pw-danger' : ''}`}
            data-testid={`power-${b.action}`}
            aria-label={b.label}
            title={b.confirm ? `${b.label}…` : b.label}
            onClick={(e) => click(e, b)}
          />
        ),
      )}
    </div>
  );
});

/**
 * Capabilities as a short string ("wake,suspend"), so the memo above compares props by value:
 * the view's object is new on every patch, its content rarely changes. Empty: not known.
 */
export function encodeCaps(caps: PowerCapabilities | undefined): string {
  if (!caps) return '';
  return POWER_ACTIONS.filter((a) => caps[a]).join(',') || '-';
}

function decodeCaps(text: string): PowerCapabilities {
  const on = new Set(text.split(','));
  return Object.fromEntries(POWER_ACTIONS.map((a) => [a, on.has(a)])) as PowerCapabilities;
}
