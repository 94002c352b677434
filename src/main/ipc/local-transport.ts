import { randomUUID } from 'node:crypto';
import { FACE_EVENTS } from '../../shared/contract';
import type { Transport } from '../../shared/ipc';
import { TopicListeners } from '../../shared/ipc-transport';
import type { EngineApp } from '../root/stepped';
import { openConnection } from './connection';
import type { CallContext } from './router';

export interface LocalTransport extends Transport {
  /** This caller's connection id: events addressed to it (its consoles' output) reach only it. */
  readonly connection: string;
  /** Stops every call in flight and every subscription. */
  close(): void;
}

/**
 * A transport that calls the router in-process, for the CLI and tests: they use the same typed
 * client, and so the same validation, subscriptions and cancellation, as the renderer.
 */
export function localTransport(app: Pick<EngineApp, 'router' | 'engine'>, face: CallContext['face']): LocalTransport {
  const listeners = new TopicListeners(
    {
      subscribe: (topic) => void connection.subscribe(topic),
      unsubscribe: (topic) => connection.unsubscribe(topic),
    },
    FACE_EVENTS,
  );
  const connection = openConnection({
    id: `${face}:${randomUUID()}`,
    face,
    router: app.router,
    events: app.engine.events,
    send: (event, payload) => listeners.emit(event, payload),
  });
  return {
    connection: connection.id,
    invoke: (channel, input, options) => connection.request(channel, input, options?.signal ? { signal: options.signal } : {}),
    on: (event, listener) => listeners.on(event, listener),
    close: () => connection.close(),
  };
}
