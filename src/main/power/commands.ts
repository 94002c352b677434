import type { PowerState } from '../../shared/power';
import type { DesiredPower, PowerAction, PowerCapabilities, ServerConfig } from '../../shared/server';
import { HandlerError } from '../base/errors';
import { canStart } from './machine';

/**
 * The checks before a command, pure: what the server can do, whether its state allows it, and
 * whether children still running need a confirmation. Each refusal says why in the card's words.
 */

export const VERB: Record<PowerAction, string> = { wake: 'wake', suspend: 'suspend', hibernate: 'hibernate', shutdown: 'shut down', reboot: 'reboot' };

/** The desired state a manual command states (a reboot states none). */
export const DESIRED_AFTER: Record<PowerAction, DesiredPower | undefined> = { wake: 'on', suspend: 'suspended', hibernate: 'suspended', shutdown: 'off', reboot: undefined };

/** Starts a command on a resolved server with these checks (the controller's; the loops and parents-first use it). */
export type StartCommand = (server: ServerConfig, action: PowerAction, opts: CommandOptions) => string;

export interface CommandOptions {
  /** The admin confirmed powering down a parent with running children. */
  confirm?: boolean;
  /** Sent by the reconcile loop (or as a parent's wake), not by a face. */
  fromReconcile?: boolean;
}

/** Throws the refusal a face shows when `action` cannot start on `server` now. */
export function checkCommand(input: {
  server: ServerConfig;
  power: PowerState;
  capabilities: PowerCapabilities;
  action: PowerAction;
  confirm: boolean;
  /** Asked only when it matters: a power-down without confirmation. */
  runningChildren: () => readonly ServerConfig[];
}): void {
  const { server, action } = input;
  if (!input.capabilities[action]) throw new HandlerError('bad_request', `Cannot ${VERB[action]} ${server.name}: ${missingCapability(action)}`);
  const can = canStart(input.power, action);
  if (!can.ok) throw new HandlerError('conflict', `Cannot ${VERB[action]} ${server.name}: ${can.reason}`);
  if (action === 'wake' || input.confirm) return;
  const kids = input.runningChildren();
  if (kids.length > 0) {
    throw new HandlerError('conflict', `${server.name} still runs ${kids.map((k) => k.name).join(', ')}, which would go down with it. Confirm to ${VERB[action]} it anyway.`, {
      confirm: 'required',
    });
  }
}

function missingCapability(action: PowerAction): string {
  switch (action) {
    case 'wake':
      return 'it has no valid MAC address or wake command';
    case 'hibernate':
      return 'its init found hibernation unavailable, or it has no SSH settings';
    default:
      return 'it has no SSH settings or custom command for that';
  }
}
