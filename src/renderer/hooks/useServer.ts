import type { ServerView } from '../../shared/server';
import { useRackdeck } from '../store';

/** One server, re-rendering only when a patch replaces that server's view. */
export function useServer(id: string | null | undefined): ServerView | undefined {
  return useRackdeck((s) => (id ? s.servers[id] : undefined));
}
