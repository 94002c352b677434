import { HandlerError } from '../base/errors';

/**
 * A console that could not be opened, with what to do about it. It is a HandlerError, so the
 * router hands its message to the window as is; it never carries typed input or a credential.
 */
export class ConsoleError extends HandlerError {
  constructor(
    code: 'bad_request' | 'not_found' | 'conflict' | 'failed' | 'unauthorized',
    message: string,
    readonly hint?: string,
  ) {
    super(code, hint ? `${message}. ${hint}` : message);
    this.name = 'ConsoleError';
  }
}

/** Any error as one line for a banner or an error answer; never the stack. */
export function describeFailure(error: unknown): string {
  if (error instanceof Error) {
    const hint = (error as { hint?: unknown }).hint;
    return typeof hint === 'string' && hint && !error.message.includes(hint) ? `${error.message}. ${hint}` : error.message;
  }
  return String(error);
}
