import { AsyncLocalStorage } from 'node:async_hooks';
import type * as z from 'zod';
import type { RequestDef, RequestTree, WireError, WireResult } from '../../shared/ipc';
import { HandlerError } from '../base/errors';
import type { Logger } from '../base/logger';

export interface CallContext {
  face: 'desktop' | 'web' | 'cli' | 'test';
  /** The transport connection the call came on (a web face socket, a desktop page, a CLI run): what it opened is its own. */
  connection?: string;
  /**
   * Aborted when the caller gives up (it cancelled, or stopped waiting): a handler that awaits
   * long work can stop. The router always sets it; optional only so that code naming a caller
   * outside a request (the engine's loops, tests) need not make one.
   */
  signal?: AbortSignal;
}

/** A handler as the router holds it: raw input in (parsed before it runs), any answer out. */
export type AnyHandler = (input: unknown, ctx: CallContext) => Promise<unknown>;

/**
 * Who is calling, for code below the handlers that records it (the action log's "from which
 * face") without every handler passing it down. Undefined outside a request: the engine's loops.
 */
export const currentCall = new AsyncLocalStorage<CallContext>();

export interface Router {
  channels(): string[];
  /** Answers 'cancelled' as soon as `ctx.signal` aborts, without waiting for the handler. */
  handle(channel: string, input: unknown, ctx: CallContext): Promise<WireResult>;
}

/**
 * The transport-neutral router: each face hands it (channel, raw input) and sends back the
 * WireResult. Every input is parsed with its schema before any handler runs, so a malformed
 * request gets a clear error and changes nothing.
 */
export function createRouter<T extends RequestTree>(
  tree: T,
  handlers: { [G in keyof T]: { [M in keyof T[G]]: unknown } },
  log: Logger,
): Router {
  const table = new Map<string, { def: RequestDef; fn: AnyHandler }>();
  for (const [group, methods] of Object.entries(tree)) {
    for (const [method, def] of Object.entries(methods)) {
      const fn = (handlers as Record<string, Record<string, AnyHandler | undefined>>)[group]?.[method];
      if (typeof fn !== 'function') throw new Error(`no handler for ${group}.${method}`);
      table.set(`${group}.${method}`, { def, fn });
    }
  }

  return {
    channels: () => [...table.keys()],
    async handle(channel, input, caller) {
      const entry = typeof channel === 'string' ? table.get(channel) : undefined;
      if (!entry) return fail({ code: 'unknown_channel', message: `Unknown request "${String(channel)}"` });
      const parsed = entry.def.input.safeParse(input);
      if (!parsed.success) return fail(describeZodError(parsed.error));
      const signal = caller.signal ?? NEVER;
      if (signal.aborted) return cancelled(channel);
      const ctx: CallContext = { ...caller, signal };
      try {
        return { ok: true, value: await untilAborted(currentCall.run(ctx, () => entry.fn(parsed.data, ctx)), signal) };
      } catch (error) {
        // The caller is gone: whatever the handler made of it, the answer is that it was cancelled.
        if (signal.aborted) return cancelled(channel);
        if (error instanceof HandlerError) {
          return fail({ code: error.code, message: error.message, ...(error.fields ? { fields: error.fields } : {}) });
        }
        log.error(`${channel} failed`, error);
        return fail({ code: 'failed', message: error instanceof Error ? error.message : String(error) });
      }
    },
  };
}

function fail(error: WireError): WireResult {
  return { ok: false, error };
}

/** The signal of a call nobody can cancel (an in-process caller that gave none). */
const NEVER = new AbortController().signal;

function cancelled(channel: string): WireResult {
  return fail({ code: 'cancelled', message: `${channel} was cancelled.` });
}

/**
 * The handler's promise, or a rejection as soon as the call is cancelled: the answer goes back
 * at once, while a handler that ignores its signal finishes on its own (its result is dropped).
 */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

export function describeZodError(error: z.ZodError): WireError {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.') || '(input)';
    fields[path] ??= issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message;
  }
  const summary = Object.entries(fields)
    .map(([path, message]) => (path === '(input)' ? message : `${path}: ${message}`))
    .join('; ');
  return { code: 'bad_request', message: `Invalid request: ${summary}`, fields };
}
