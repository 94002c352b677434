import type { ServerView } from './server';

/** A batch of changes to the server list, numbered so a client can drop what its snapshot already has. */
export interface ServersPatch {
  seq: number;
  upsert: ServerView[];
  remove: string[];
}

/**
 * A server's fields that changed since the last patch that named it: `set` holds each changed
 * field's new value, `unset` the optional fields it no longer has.
 */
export interface ServerChange {
  id: string;
  set: Partial<ServerView>;
  unset?: (keyof ServerView)[];
}

/**
 * The same batch as a ServersPatch, for a face that keeps the servers it was sent (the renderer):
 * a server it has already seen carries only its changed fields, since a status sweep changes a
 * server's power and times, not its forty other fields. `upsert` holds servers in full (the first
 * time this stream names them). Applied to the snapshot with the same or a lower number, it gives
 * what the ServersPatch gives.
 */
export interface ServersChanges {
  seq: number;
  upsert: ServerView[];
  change: ServerChange[];
  remove: string[];
}

export interface ServersSnapshot {
  seq: number;
  servers: ServerView[];
}

export type NoticeLevel = 'info' | 'success' | 'warning' | 'error';

/** Something worth telling the admin: the desktop face shows it natively, the web face in-page. */
export interface Notice {
  id: string;
  at: number;
  level: NoticeLevel;
  title: string;
  body: string;
  serverId?: string;
  /** Offers "keep awake" on the notice: idle auto-suspend just acted on the server (issue 17). */
  keepAwake?: { serverId: string; minutes: number };
}

export interface ConnectionStatus {
  state: 'connecting' | 'open' | 'closed' | 'unauthorized';
  /** Why the link is down, in words for the error banner. */
  reason?: string;
  /** When the bridge will try again (ms since epoch), if it will. */
  retryAt?: number;
}
