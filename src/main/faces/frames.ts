import * as z from 'zod';
import { lazySchema } from '../../shared/contract/lazy';
import type { Connection } from '../ipc/connection';

/**
 * The frames of the contract over a byte stream, shared by the web face (one WebSocket message
 * per frame) and the control socket (one line per frame). A client sends a request
 * `{id, channel, input}`, the cancel of one it gave up on `{cancel}`, or the start or end of its
 * interest in an event `{subscribe}` / `{unsubscribe}`; main answers `{id, result}` and sends
 * the events subscribed to as `{event, payload}`.
 */
// Built at the first frame, not as the engine loads: it is on the path to `serve`'s URL (issue 16).
export const clientFrame = lazySchema(() =>
  z.union([
    z.object({ id: z.number().int(), channel: z.string(), input: z.unknown() }).strict(),
    z.object({ cancel: z.number().int() }).strict(),
    z.object({ subscribe: z.string() }).strict(),
    z.object({ unsubscribe: z.string() }).strict(),
  ]),
);
export type ClientFrame = z.infer<typeof clientFrame>;

/** What main answers to a frame it cannot read (not JSON, or none of the four shapes). */
export const MALFORMED_FRAME = {
  id: null,
  result: { ok: false, error: { code: 'bad_request', message: 'Malformed frame: expected {id, channel, input}, {cancel}, {subscribe} or {unsubscribe}' } },
} as const;

/** Parses one frame's text; undefined when it is not a frame. */
export function parseFrame(text: string): ClientFrame | undefined {
  try {
    const parsed = clientFrame.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Acts on one frame for its connection; `reply` sends an answer frame back. */
export async function dispatchFrame(connection: Connection, frame: ClientFrame, reply: (frame: unknown) => void): Promise<void> {
  if ('cancel' in frame) connection.cancel(frame.cancel);
  else if ('subscribe' in frame) {
    if (!connection.subscribe(frame.subscribe)) reply({ id: null, result: { ok: false, error: { code: 'bad_request', message: `No event is named "${frame.subscribe}"` } } });
  } else if ('unsubscribe' in frame) connection.unsubscribe(frame.unsubscribe);
  else reply({ id: frame.id, result: await connection.request(frame.channel, frame.input, { callId: frame.id }) });
}
