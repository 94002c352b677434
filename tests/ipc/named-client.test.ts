/**
 * The client built from channel names alone (the page's, whose first paint loads no schemas):
 * each call goes out on its channel with the contract's deadlines, and events pass through.
 */
import { describe, expect, it } from 'vitest';
import type { Transport, WireResult } from '../../src/shared/ipc';
import { namedClient } from '../../src/shared/named-client';

describe('the schema-free client', () => {
  it('sends each call on its channel and answers with main’s value', async () => {
    const sent: { channel: string; input: unknown }[] = [];
    const transport: Transport = {
      invoke: (channel, input) => {
        sent.push({ channel, input });
        return Promise.resolve<WireResult>({ ok: true, value: { seq: 3, servers: [] } });
      },
      on: () => () => undefined,
    };
    const client = namedClient(transport);
    await expect(client.servers.snapshot({})).resolves.toEqual({ seq: 3, servers: [] });
    expect(sent).toEqual([{ channel: 'servers.snapshot', input: {} }]);
    // The same function for the same channel: a hook's dependency on it does not change.
    expect(client.servers.snapshot).toBe(client.servers.snapshot);
  });

  it('gives up after the contract’s deadline for the channel, unless told otherwise', async () => {
    const never: Transport = { invoke: () => new Promise<WireResult>(() => undefined), on: () => () => undefined };
    const client = namedClient(never, { timeoutMs: 5, timeouts: {} });
    await expect(client.servers.snapshot({})).rejects.toMatchObject({ code: 'timeout' });
  });

  it('passes event listeners to the transport', () => {
    const topics: string[] = [];
    const transport: Transport = { invoke: () => Promise.resolve<WireResult>({ ok: true, value: null }), on: (name) => (topics.push(name), () => undefined) };
    namedClient(transport).on('servers.changes', () => undefined);
    expect(topics).toEqual(['servers.changes']);
  });
});
