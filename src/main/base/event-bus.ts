import { events, type EventName, type Events } from '../../shared/contract';
import type { PayloadOf } from '../../shared/ipc';

type Listener<K extends EventName> = (payload: PayloadOf<Events[K]>) => void;

/** The engine's outgoing events, typed by the contract; each face forwards them its own way. */
export class EventBus {
  private listeners = new Map<EventName, Set<(payload: unknown) => void>>();

  on<K extends EventName>(name: K, listener: Listener<K>): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    const fn = listener as (payload: unknown) => void;
    set.add(fn);
    return () => set.delete(fn);
  }

  /** Forwards every event; for transports that relay all of them. */
  onAny(listener: (name: EventName, payload: unknown) => void): () => void {
    const offs = (Object.keys(events) as EventName[]).map((name) => this.on(name, (p) => listener(name, p)));
    return () => offs.forEach((off) => off());
  }

  emit<K extends EventName>(name: K, payload: PayloadOf<Events[K]>): void {
    for (const fn of this.listeners.get(name) ?? []) {
      try {
        fn(payload);
      } catch {
        // A broken listener (a closed window, a dead socket) must not stop the others.
      }
    }
  }
}
