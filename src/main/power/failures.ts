import { HostKeyMismatchError, SshError } from '../drivers/ssh/model';
import { MacError } from '../drivers/wol/model';

/** A power command that ran and was refused: the message says what happened, the hint what to try. */
export class PowerCommandError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'PowerCommandError';
  }
}

/** The message and hint the card shows for a failed command or init. */
export function describeError(error: unknown): { message: string; hint?: string } {
  if (error instanceof HostKeyMismatchError) return { message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
  if (error instanceof SshError || error instanceof PowerCommandError) return { message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
  if (error instanceof MacError) return { message: error.message, hint: 'Fix the MAC address in the server settings.' };
  return { message: error instanceof Error ? error.message : String(error) };
}
