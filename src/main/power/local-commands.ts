import type { LocalCommandsView } from '../../shared/contract/power';
import { POWER_ACTIONS, type PowerAction, type PowerSettings } from '../../shared/server';
import { HandlerError } from '../base/errors';
import type { CallContext } from '../ipc/router';

/**
 * Custom power commands with `runOn: 'local'` run a program on the Rackdeck machine itself. That
 * is the admin's explicit choice (`settings.power.allowLocalCommands`, off by default), made
 * from the desktop app or the CLI: whoever holds the web token must not be able to turn it on,
 * nor, once it is on, to write a new program for it to run.
 */

export const LOCAL_COMMANDS_OFF =
  'Local commands are turned off on this Rackdeck, so this command was not run. Turn them on from the desktop app or with `rackdeck local-commands on`';

const WEB_REFUSAL = 'Local commands can only be turned on or off, and written, from the desktop app or the CLI; never over the web face';

/** Who may change the setting: the desktop app and the CLI (and tests), not a browser. */
export function mayEditLocalCommands(ctx: Pick<CallContext, 'face'>): boolean {
  return ctx.face !== 'web';
}

export function localCommandsView(allowed: boolean, ctx: Pick<CallContext, 'face'>): LocalCommandsView {
  return { allowed, editable: mayEditLocalCommands(ctx) };
}

export function refuseOverWeb(ctx: Pick<CallContext, 'face'>): void {
  if (!mayEditLocalCommands(ctx)) throw new HandlerError('unauthorized', `${WEB_REFUSAL}.`);
}

/** The actions whose local command `after` sets and `before` did not have as is (new or changed). */
export function newLocalCommands(before: PowerSettings | undefined, after: PowerSettings | undefined): PowerAction[] {
  return POWER_ACTIONS.filter((action) => {
    const next = after?.customCommands?.[action];
    if (next?.runOn !== 'local') return false;
    const prev = before?.customCommands?.[action];
    return prev?.runOn !== 'local' || prev.command !== next.command;
  });
}

/** Refuses an add or edit over the web face that would write a local command; keeping one as it was is fine. */
export function checkLocalCommandEdit(ctx: Pick<CallContext, 'face'>, before: PowerSettings | undefined, after: PowerSettings | undefined): void {
  if (mayEditLocalCommands(ctx)) return;
  const actions = newLocalCommands(before, after);
  if (actions.length === 0) return;
  const fields = Object.fromEntries(actions.map((a) => [`powerControl.customCommands.${a}.runOn`, 'a command that runs on this machine can only be set from the desktop app or the CLI']));
  throw new HandlerError('unauthorized', `${WEB_REFUSAL} (${actions.join(', ')}).`, fields);
}
