import type { RackdeckClient } from './contract';
import { DEFAULT_TIMEOUT_MS, REQUEST_TIMEOUTS } from './contract/defaults';
import { makeClient, type CallOptions, type ClientOptions, type RequestTree, type Transport } from './ipc';

type Call = (input: unknown, options?: CallOptions) => Promise<unknown>;

/**
 * The typed client built from channel names alone, without the contract's schemas:
 * `client.servers.add(input)` is the channel `servers.add`, with the same deadlines, cancels and
 * errors as `createClient` (each call goes through the shared `makeClient`, over a one-channel
 * tree). For a face whose other side parses every input anyway: the page's first paint then
 * loads no schema library (issue 16); the CLI uses it on its way to a running engine. The types
 * still come from the contract, so a wrong channel or input does not compile.
 */
export function namedClient(transport: Transport, options: Partial<ClientOptions> = {}): RackdeckClient {
  const settings: ClientOptions = { timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS, timeouts: { ...(REQUEST_TIMEOUTS as Readonly<Record<string, number>>), ...options.timeouts } };
  const calls = new Map<string, Call>();
  const callOf = (group: string, method: string): Call => {
    const channel = `${group}.${method}`;
    let call = calls.get(channel);
    if (!call) {
      // makeClient reads only the names of a tree, never its schemas.
      const tree = { [group]: { [method]: {} } } as unknown as RequestTree;
      const made = makeClient(tree, transport, settings) as unknown as Record<string, Record<string, Call>>;
      call = made[group]?.[method] as Call;
      calls.set(channel, call);
    }
    return call;
  };
  const groups = new Map<string, object>();
  const groupOf = (group: string) => {
    let g = groups.get(group);
    if (!g) {
      g = new Proxy({}, { get: (_target, method) => (typeof method === 'string' ? callOf(group, method) : undefined) });
      groups.set(group, g);
    }
    return g;
  };
  const on = (event: string, listener: (payload: unknown) => void) => transport.on(event, listener);
  return new Proxy({} as RackdeckClient, {
    get: (_target, key) => (key === 'on' ? on : typeof key === 'string' ? groupOf(key) : undefined),
  });
}
