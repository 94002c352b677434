import { events, type EventName } from '../../shared/contract';
import type { WireResult } from '../../shared/ipc';
import type { EventBus } from '../base/event-bus';
import type { CallContext, Router } from './router';

export interface ConnectionOptions {
  /** Unique among live connections: events addressed to it use this id (EventBus `emit(…, { to })`). */
  id: string;
  face: CallContext['face'];
  router: Pick<Router, 'handle'>;
  events: Pick<EventBus, 'on'>;
  /** Delivers one event to the other end (a socket frame, a webContents.send, a local call). */
  send(event: EventName, payload: unknown): void;
}

/**
 * Main's side of one transport connection (a browser tab's socket, the desktop page, a CLI
 * run): the topics it subscribed to and the requests it has in flight. It forwards an event
 * only if the other end subscribed to it and it is not addressed to another connection, and
 * it can cancel a request by the other end's number for it.
 */
export interface Connection {
  readonly id: string;
  /**
   * Runs one request through the router. `callId` is the other end's number for it (so a later
   * `cancel` finds it); `signal`, an in-process caller's own.
   */
  request(channel: string, input: unknown, options?: { callId?: number; signal?: AbortSignal }): Promise<WireResult>;
  /** The other end gave up on this call (timeout, closed dialog): its handler's signal aborts. */
  cancel(callId: number): void;
  /** Starts forwarding this event; false if the contract has no such event. */
  subscribe(topic: string): boolean;
  unsubscribe(topic: string): void;
  /** Subscribed topics, for tests and diagnostics. */
  topics(): string[];
  /** The other end is gone: every call in flight is cancelled and nothing more is sent. */
  close(): void;
}

const isEventName = (topic: string): topic is EventName => Object.hasOwn(events, topic);

export function openConnection(options: ConnectionOptions): Connection {
  const { id } = options;
  const subscriptions = new Map<EventName, () => void>();
  const inFlight = new Map<number, AbortController>();
  let closed = false;

  return {
    id,
    async request(channel, input, { callId, signal } = {}) {
      if (closed) return { ok: false, error: { code: 'failed', message: 'This connection is closed.' } };
      if (callId !== undefined && inFlight.has(callId)) {
        return { ok: false, error: { code: 'bad_request', message: `A request numbered ${callId} is already running.` } };
      }
      const stop = new AbortController();
      const onAbort = () => stop.abort(signal?.reason);
      if (signal?.aborted) stop.abort(signal.reason);
      else signal?.addEventListener('abort', onAbort, { once: true });
      if (callId !== undefined) inFlight.set(callId, stop);
      try {
        return await options.router.handle(channel, input, { face: options.face, connection: id, signal: stop.signal });
      } finally {
        signal?.removeEventListener('abort', onAbort);
        if (callId !== undefined && inFlight.get(callId) === stop) inFlight.delete(callId);
      }
    },
    cancel(callId) {
      inFlight.get(callId)?.abort();
    },
    subscribe(topic) {
      if (!isEventName(topic)) return false;
      if (closed || subscriptions.has(topic)) return true;
      const off = options.events.on(topic, (payload, meta) => {
        if (meta.to === undefined || meta.to === id) options.send(topic, payload);
      });
      subscriptions.set(topic, off);
      return true;
    },
    unsubscribe(topic) {
      const off = subscriptions.get(topic as EventName);
      subscriptions.delete(topic as EventName);
      off?.();
    },
    topics: () => [...subscriptions.keys()],
    close() {
      if (closed) return;
      closed = true;
      for (const off of subscriptions.values()) off();
      subscriptions.clear();
      for (const stop of inFlight.values()) stop.abort();
      inFlight.clear();
    },
  };
}
