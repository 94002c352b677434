import type * as z from 'zod';

/**
 * The machinery of the typed IPC contract: a request is a zod schema for its input plus a
 * phantom output type; an event is a phantom payload type. The router, the preload, the web
 * bridge and the renderer all derive their types from `contract.ts`, so no list of channels is
 * ever kept by hand in two places.
 */
export interface RequestDef<I extends z.ZodType = z.ZodType, O = unknown> {
  readonly input: I;
  /** Never set at run time: carries the output type. */
  readonly _output?: O;
}

export interface EventDef<P = unknown> {
  readonly _payload?: P;
}

/**
 * `request<Output>()(() => inputSchema)`: the schema is built when the request is first used
 * (src/shared/contract/lazy.ts says why), then kept. A schema given as is is used as is.
 */
export function request<O>() {
  return <I extends z.ZodType>(input: I | (() => I)): RequestDef<I, O> => {
    if (typeof input !== 'function') return { input };
    let built: I | undefined;
    return {
      get input() {
        return (built ??= input());
      },
    };
  };
}

export function event<P>(): EventDef<P> {
  return {};
}

export type RequestGroup = Record<string, RequestDef>;
export type RequestTree = Record<string, RequestGroup>;

export type InputOf<R> = R extends RequestDef<infer I, unknown> ? z.input<I> : never;
export type ParsedInputOf<R> = R extends RequestDef<infer I, unknown> ? z.output<I> : never;
export type OutputOf<R> = R extends RequestDef<z.ZodType, infer O> ? O : never;
export type PayloadOf<E> = E extends EventDef<infer P> ? P : never;

/** Channel names are `group.method`, e.g. `servers.add`. */
export type ChannelOf<T extends RequestTree> = {
  [G in keyof T & string]: `${G}.${keyof T[G] & string}`;
}[keyof T & string];

/** What a caller may add to one request: `client.servers.add(input, { signal })`. */
export interface CallOptions {
  /** How long to wait for the answer, in ms (0: for ever); the channel's default otherwise. */
  timeoutMs?: number;
  /** Aborting it rejects the call with code 'cancelled' and tells main to stop the handler. */
  signal?: AbortSignal;
}

/** The typed client: `client.servers.add(input)`. The same shape in the preload and the browser. */
export type ClientOf<T extends RequestTree, E extends Record<string, EventDef>> = {
  [G in keyof T]: { [M in keyof T[G]]: (input: InputOf<T[G][M]>, options?: CallOptions) => Promise<OutputOf<T[G][M]>> };
} & {
  on<K extends keyof E & string>(event: K, listener: (payload: PayloadOf<E[K]>) => void): () => void;
};

/** Handlers in main mirror the tree; each receives the parsed input and who is calling. */
export type HandlersOf<T extends RequestTree, Ctx> = {
  [G in keyof T]: { [M in keyof T[G]]: (input: ParsedInputOf<T[G][M]>, ctx: Ctx) => Promise<OutputOf<T[G][M]>> };
};

export interface WireError {
  /** `timeout` and `cancelled` are the caller's own: it stopped waiting (main may still finish the work). */
  code: 'bad_request' | 'unknown_channel' | 'not_found' | 'conflict' | 'failed' | 'unauthorized' | 'timeout' | 'cancelled';
  message: string;
  /** Field path → message, for inline form errors. */
  fields?: Record<string, string>;
}

export type WireResult<T = unknown> = { ok: true; value: T } | { ok: false; error: WireError };

/** The answer a transport gives to a call its caller gave up on. */
export const CANCELLED: WireResult = { ok: false, error: { code: 'cancelled', message: 'The request was cancelled.' } };

/** What a face must provide for a client to be built on it. */
export interface Transport {
  /**
   * Sends one request. When `options.signal` aborts, the transport tells main to stop the call,
   * forgets its answer and settles with CANCELLED.
   */
  invoke(channel: string, input: unknown, options?: { signal?: AbortSignal }): Promise<WireResult>;
  /**
   * One listener of one event. Main sends a connection only the events it subscribed to, so a
   * transport keeps its listeners in a TopicListeners, which subscribes while a topic has any.
   */
  on(event: string, listener: (payload: unknown) => void): () => void;
}

export class RackdeckError extends Error {
  readonly code: WireError['code'];
  readonly fields: Record<string, string> | undefined;
  constructor(error: WireError) {
    super(error.message);
    this.name = 'RackdeckError';
    this.code = error.code;
    this.fields = error.fields;
  }
}

/** A call its caller cancelled (a closed dialog): nothing to show. */
export function isCancelled(error: unknown): boolean {
  return error instanceof RackdeckError && error.code === 'cancelled';
}

export function channelsOf(tree: RequestTree): string[] {
  return Object.entries(tree).flatMap(([group, methods]) => Object.keys(methods).map((m) => `${group}.${m}`));
}

/** How long a client waits for answers. */
export interface ClientOptions {
  /** Every channel's wait in ms, unless listed in `timeouts` (0: for ever). */
  timeoutMs: number;
  /** Channels whose work takes longer (or should give up sooner) than the default. */
  timeouts?: Readonly<Record<string, number>>;
}

/** setTimeout's limit (about 24.8 days); a longer wait is a wait for ever. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function duration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/**
 * One request with its deadline and its caller's signal. Whichever comes first settles the
 * promise: the answer, the timeout (code 'timeout') or the abort (code 'cancelled'); the last
 * two abort the transport's signal too, so main hears of it and stops the handler.
 */
function call(transport: Transport, channel: string, input: unknown, timeoutMs: number, signal: AbortSignal | undefined): Promise<unknown> {
  if (signal?.aborted) return Promise.reject(new RackdeckError({ code: 'cancelled', message: `${channel} was cancelled.` }));
  const stop = new AbortController();
  return new Promise((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const settle = () => {
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const giveUp = (error: WireError) => {
      settle();
      reject(new RackdeckError(error));
      stop.abort();
    };
    const onAbort = () => giveUp({ code: 'cancelled', message: `${channel} was cancelled.` });
    signal?.addEventListener('abort', onAbort, { once: true });
    if (timeoutMs > 0 && timeoutMs <= MAX_TIMER_MS) {
      timer = setTimeout(() => giveUp({ code: 'timeout', message: `Rackdeck did not answer ${channel} within ${duration(timeoutMs)}.` }), timeoutMs);
    }
    transport.invoke(channel, input, { signal: stop.signal }).then(
      (result) => {
        if (stop.signal.aborted) return;
        settle();
        if (result.ok) resolve(result.value);
        else reject(new RackdeckError(result.error));
      },
      (error: unknown) => {
        if (stop.signal.aborted) return;
        settle();
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/**
 * Builds the typed client over any transport. A failed request rejects with a RackdeckError
 * whose message is the clear, user-facing text (what crosses Electron's contextBridge intact).
 */
export function makeClient<T extends RequestTree, E extends Record<string, EventDef>>(
  tree: T,
  transport: Transport,
  options: ClientOptions = { timeoutMs: 0 },
): ClientOf<T, E> {
  const client: Record<string, unknown> = {};
  for (const [group, methods] of Object.entries(tree)) {
    const bound: Record<string, (input: unknown, callOptions?: CallOptions) => Promise<unknown>> = {};
    for (const method of Object.keys(methods)) {
      const channel = `${group}.${method}`;
      const timeoutMs = options.timeouts?.[channel] ?? options.timeoutMs;
      bound[method] = (input: unknown, callOptions?: CallOptions) => call(transport, channel, input ?? {}, callOptions?.timeoutMs ?? timeoutMs, callOptions?.signal);
    }
    client[group] = bound;
  }
  client.on = (name: string, listener: (payload: unknown) => void) => transport.on(name, listener);
  return client as ClientOf<T, E>;
}
