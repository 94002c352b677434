import { CANCELLED, type Transport, type WireResult } from './ipc';

/*
 * The parts every transport shares (web bridge, preload, local transport): listeners counted
 * per topic, and the numbered form a transport takes to cross Electron's contextBridge.
 */

/** What a transport tells main when a topic gains its first listener or loses its last. */
export interface TopicLink {
  subscribe(topic: string): void;
  unsubscribe(topic: string): void;
}

/**
 * A transport's event listeners, counted per topic: the first listener of a topic subscribes
 * the connection to it in main, the last one gone unsubscribes it, so main sends a window only
 * what something in it listens to. Topics the face raises itself (`local`) never go to main.
 */
export class TopicListeners {
  private readonly byTopic = new Map<string, Set<(payload: unknown) => void>>();

  constructor(
    private readonly link: TopicLink,
    private readonly local: ReadonlySet<string> = new Set(),
  ) {}

  on(topic: string, listener: (payload: unknown) => void): () => void {
    let set = this.byTopic.get(topic);
    if (!set) this.byTopic.set(topic, (set = new Set()));
    const listeners = set;
    // A wrapper, so the same function added twice counts twice and each `off` removes one.
    const entry = (payload: unknown) => listener(payload);
    listeners.add(entry);
    if (listeners.size === 1 && !this.local.has(topic)) this.link.subscribe(topic);
    let live = true;
    return () => {
      if (!live) return;
      live = false;
      listeners.delete(entry);
      if (listeners.size > 0 || this.byTopic.get(topic) !== listeners) return;
      this.byTopic.delete(topic);
      if (!this.local.has(topic)) this.link.unsubscribe(topic);
    };
  }

  emit(topic: string, payload: unknown): void {
    this.byTopic.get(topic)?.forEach((fn) => fn(payload));
  }

  /** The topics main must hear of again on a new connection (a reconnected socket). */
  topics(): string[] {
    return [...this.byTopic.keys()].filter((topic) => !this.local.has(topic));
  }
}

/**
 * A transport as it crosses Electron's contextBridge, which copies objects and so cannot carry
 * an AbortSignal: a call is named by a number, and cancelled by it. The numbers come from the
 * transport, so every client built on it numbers its calls apart.
 */
export interface NumberedTransport {
  newCallId(): number;
  invoke(channel: string, input: unknown, callId: number): Promise<WireResult>;
  cancel(callId: number): void;
  on(event: string, listener: (payload: unknown) => void): () => void;
}

/** The Transport over a NumberedTransport, in the world whose AbortSignals it must honour. */
export function transportOverNumbered(bridge: NumberedTransport): Transport {
  return {
    invoke(channel, input, options) {
      const signal = options?.signal;
      if (signal?.aborted) return Promise.resolve(CANCELLED);
      const id = bridge.newCallId();
      return new Promise<WireResult>((resolve) => {
        const onAbort = () => {
          bridge.cancel(id);
          resolve(CANCELLED);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        bridge.invoke(channel, input, id).then(
          (result) => {
            signal?.removeEventListener('abort', onAbort);
            resolve(result);
          },
          (error: unknown) => {
            signal?.removeEventListener('abort', onAbort);
            resolve({ ok: false, error: { code: 'failed', message: error instanceof Error ? error.message : String(error) } });
          },
        );
      });
    },
    on: (event, listener) => bridge.on(event, listener),
  };
}
