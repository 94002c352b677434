import type { CustomCommand, PowerAction } from '../../../../shared/server';
import { fillTemplate, type PlaceholderValues } from './custom-command';
import { SshError } from './errors';
import { powerCommandPlan } from './power-commands';
import type { SshExec, SshTarget } from './target';

export interface PowerAttempt {
  command: string;
  code: number | null;
  stderr: string;
}

export type PowerRunResult =
  | { ok: true; command: string; note?: string }
  | { ok: false; message: string; hint?: string; attempts: PowerAttempt[] };

export interface SshPowerOptions {
  useSudo: boolean;
  timeoutMs: number;
  /** Replaces the built-in plan with one command (placeholders already validated). */
  custom?: { command: CustomCommand; values: PlaceholderValues };
}

/**
 * Runs an SSH power action: the custom command if there is one, otherwise each command of the
 * plan until one is accepted. A command that never reports back (the connection dropped, or it
 * hung while the kernel went to sleep) counts as accepted: the state machine's polling, not the
 * exit status, decides whether the host really went down. Connection-level failures throw.
 */
export async function runSshPower(ssh: SshExec, target: SshTarget, action: PowerAction, options: SshPowerOptions): Promise<PowerRunResult> {
  let commands: string[];
  if (options.custom) commands = [fillTemplate(options.custom.command.command, options.custom.values)];
  else if (action === 'wake') throw new Error('waking over SSH needs a custom command');
  else commands = powerCommandPlan(action, options.useSudo);
  const attempts: PowerAttempt[] = [];
  for (const command of commands) {
    let result;
    try {
      result = await ssh.exec(target, command, { timeoutMs: options.timeoutMs });
    } catch (error) {
      if (error instanceof SshError && error.kind === 'timeout') {
        return { ok: true, command, note: 'the command did not report back; the host may be going down' };
      }
      throw error;
    }
    if (result.code === 0) return { ok: true, command };
    if (result.code === null) return { ok: true, command, note: 'the connection dropped, as it does when a host goes down' };
    attempts.push({ command, code: result.code, stderr: result.stderr.trim().slice(0, 300) });
  }
  return { ok: false, message: describeAttempts(action, attempts), attempts, ...hintFor(attempts, options.useSudo) };
}

function describeAttempts(action: string, attempts: readonly PowerAttempt[]): string {
  const tried = attempts.map((a) => `\`${a.command}\` exited ${a.code}${a.stderr ? ` (${a.stderr.split('\n')[0]})` : ''}`);
  return `${action} was refused: ${tried.join('; ')}`;
}

function hintFor(attempts: readonly PowerAttempt[], useSudo: boolean): { hint?: string } {
  const text = attempts.map((a) => a.stderr).join('\n');
  if (/password is required|a terminal is required|not in the sudoers/i.test(text)) {
    return { hint: 'sudo needs a password: add a NOPASSWD sudoers rule for the power commands, or log in as root.' };
  }
  if (/permission denied|access denied|not permitted|interactive authentication required/i.test(text)) {
    return { hint: useSudo ? 'Even with sudo the command was refused: check the sudoers rule.' : 'The SSH user may not power the host down: enable "use sudo" or log in as root.' };
  }
  if (attempts.every((a) => a.code === 127)) return { hint: 'None of the usual commands exists there: set a custom command for this action.' };
  return {};
}
