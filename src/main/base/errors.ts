import type { WireError } from '../../shared/ipc';

/** An error a handler throws on purpose: its message is shown to the admin as is. */
export class HandlerError extends Error {
  constructor(
    readonly code: WireError['code'],
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = 'HandlerError';
  }
}

export const notFound = (what: string) => new HandlerError('not_found', `${what} was not found`);
