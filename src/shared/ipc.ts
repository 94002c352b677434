import type { z } from 'zod';

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

export function request<O>() {
  return <I extends z.ZodType>(input: I): RequestDef<I, O> => ({ input });
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

/** The typed client: `client.servers.add(input)`. The same shape in the preload and the browser. */
export type ClientOf<T extends RequestTree, E extends Record<string, EventDef>> = {
  [G in keyof T]: { [M in keyof T[G]]: (input: InputOf<T[G][M]>) => Promise<OutputOf<T[G][M]>> };
} & {
  on<K extends keyof E & string>(event: K, listener: (payload: PayloadOf<E[K]>) => void): () => void;
};

/** Handlers in main mirror the tree; each receives the parsed input and who is calling. */
export type HandlersOf<T extends RequestTree, Ctx> = {
  [G in keyof T]: { [M in keyof T[G]]: (input: ParsedInputOf<T[G][M]>, ctx: Ctx) => Promise<OutputOf<T[G][M]>> };
};

export interface WireError {
  code: 'bad_request' | 'unknown_channel' | 'not_found' | 'conflict' | 'failed' | 'unauthorized';
  message: string;
  /** Field path → message, for inline form errors. */
  fields?: Record<string, string>;
}

export type WireResult<T = unknown> = { ok: true; value: T } | { ok: false; error: WireError };

/** What a face must provide for a client to be built on it. */
export interface Transport {
  invoke(channel: string, input: unknown): Promise<WireResult>;
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

export function channelsOf(tree: RequestTree): string[] {
  return Object.entries(tree).flatMap(([group, methods]) => Object.keys(methods).map((m) => `${group}.${m}`));
}

/**
 * Builds the typed client over any transport. A failed request rejects with a RackdeckError
 * whose message is the clear, user-facing text (what crosses Electron's contextBridge intact).
 */
export function makeClient<T extends RequestTree, E extends Record<string, EventDef>>(
  tree: T,
  transport: Transport,
): ClientOf<T, E> {
  const client: Record<string, unknown> = {};
  for (const [group, methods] of Object.entries(tree)) {
    const bound: Record<string, (input: unknown) => Promise<unknown>> = {};
    for (const method of Object.keys(methods)) {
      const channel = `${group}.${method}`;
      bound[method] = async (input: unknown) => {
        const result = await transport.invoke(channel, input ?? {});
        if (!result.ok) throw new RackdeckError(result.error);
        return result.value;
      };
    }
    client[group] = bound;
  }
  client.on = (name: string, listener: (payload: unknown) => void) => transport.on(name, listener);
  return client as ClientOf<T, E>;
}
