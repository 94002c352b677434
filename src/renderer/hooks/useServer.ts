import type { ServerView } from '../../shared/server';
import { useRackdeck } from '../store';
import { own } from '../../shared/own';

/** One server, re-rendering only when a patch replaces that server's view. */
export function useServer(id: string | null | undefined): ServerView | undefined {
  return useRackdeck((s) => (id ? own(s.servers, id) : undefined));
}
