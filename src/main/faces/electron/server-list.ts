import type { ServersPatch, ServersSnapshot } from '../../../shared/events';
import type { ServerView } from '../../../shared/server';

/**
 * The desktop face's own projection of the server list (for the tray), kept exactly like the
 * renderer keeps its: a snapshot, then numbered patches, older ones dropped.
 */
export class ServerList {
  private seq = -1;
  private byId = new Map<string, ServerView>();

  applySnapshot(snapshot: ServersSnapshot): void {
    this.seq = snapshot.seq;
    this.byId = new Map(snapshot.servers.map((s) => [s.id, s]));
  }

  /** Returns false for a patch the list already has. */
  applyPatch(patch: ServersPatch): boolean {
    if (patch.seq <= this.seq) return false;
    this.seq = patch.seq;
    for (const id of patch.remove) this.byId.delete(id);
    for (const s of patch.upsert) this.byId.set(s.id, s);
    return true;
  }

  list(): ServerView[] {
    return [...this.byId.values()];
  }
}
