import type { ServersPatch, ServersSnapshot } from '../../shared/events';
import { ChangesEncoder } from '../../shared/server-changes';
import type { EventBus } from '../base/event-bus';

export interface PatchEmitter {
  send(patch: ServersPatch): void;
  /** A snapshot is going out: its views are what every reader holds from now on. Returns it. */
  snapshot(snapshot: ServersSnapshot): ServersSnapshot;
}

/**
 * Sends each patch as `servers.patch` (whole views: what the engine's own listeners and the CLI
 * read) and, while anyone listens, as `servers.changes` (only the changed fields: what the
 * renderer reads; a sweep that changes 2 000 servers' power is then a fifth of the bytes to
 * send and parse). The encoder's base is every reader's: a snapshot is taken right after a flush,
 * so its views are the ones last sent, and a reader applies only patches numbered after it. With
 * no listener the encoder forgets every view, so it holds no memory; the next patch it encodes
 * sends whole views of the servers no snapshot has shown it.
 */
export function patchEmitter(events: EventBus): PatchEmitter {
  const encoder = new ChangesEncoder();
  return {
    send(patch) {
      events.emit('servers.patch', patch);
      if (events.listening('servers.changes')) events.emit('servers.changes', encoder.encode(patch));
      else encoder.reset();
    },
    snapshot(snapshot) {
      if (events.listening('servers.changes')) encoder.prime(snapshot.servers);
      return snapshot;
    },
  };
}
