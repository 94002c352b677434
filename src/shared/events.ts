import type { ServerView } from './server';

/** A batch of changes to the server list, numbered so a client can drop what its snapshot already has. */
export interface ServersPatch {
  seq: number;
  upsert: ServerView[];
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
