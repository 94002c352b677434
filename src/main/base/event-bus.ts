import { events, type EventName, type Events } from '../../shared/contract';
import type { PayloadOf } from '../../shared/ipc';

/** How an event was sent: to everyone, or to one transport connection. */
export interface EventMeta {
  /** The only connection (a window, a browser tab, a CLI run) this event is for; undefined: any subscriber. */
  to?: string | undefined;
}

type Listener<K extends EventName> = (payload: PayloadOf<Events[K]>, meta: EventMeta) => void;

const BROADCAST: EventMeta = {};

/**
 * The engine's outgoing events, typed by the contract; each face forwards them its own way.
 * An event may be addressed to one connection (a console's output belongs to the tab that
 * opened it): listeners in main still see it, and a face's connection forwards it only if it
 * is the addressee (src/main/ipc/connection.ts).
 */
export class EventBus {
  private listeners = new Map<EventName, Set<(payload: unknown, meta: EventMeta) => void>>();

  on<K extends EventName>(name: K, listener: Listener<K>): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    const fn = listener as (payload: unknown, meta: EventMeta) => void;
    set.add(fn);
    return () => set.delete(fn);
  }

  /** Whether anyone listens to this event: work done only for its listeners can be skipped. */
  listening(name: EventName): boolean {
    return (this.listeners.get(name)?.size ?? 0) > 0;
  }

  /** Forwards every event, whoever it is addressed to. */
  onAny(listener: (name: EventName, payload: unknown, meta: EventMeta) => void): () => void {
    const offs = (Object.keys(events) as EventName[]).map((name) => this.on(name, (p, meta) => listener(name, p, meta)));
    return () => offs.forEach((off) => off());
  }

  emit<K extends EventName>(name: K, payload: PayloadOf<Events[K]>, options: EventMeta = BROADCAST): void {
    const meta: EventMeta = options.to === undefined ? BROADCAST : { to: options.to };
    for (const fn of this.listeners.get(name) ?? []) {
      try {
        fn(payload, meta);
      } catch {
        // A broken listener (a closed window, a dead socket) must not stop the others.
      }
    }
  }
}
