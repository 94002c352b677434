import { z } from 'zod';
import { request } from '../ipc';
import { serverInputSchema, serverPatchSchema, type ServerView } from '../server';
import type { ServersSnapshot } from '../events';

const id = z.object({ id: z.string().min(1, 'a server id is required') }).strict();

export const serversContract = {
  /** Everything the renderer needs to draw, numbered so later patches can be applied on top. */
  snapshot: request<ServersSnapshot>()(z.object({}).strict()),
  add: request<ServerView>()(serverInputSchema.strict()),
  edit: request<ServerView>()(
    z.object({ id: z.string().min(1), patch: serverPatchSchema.strict() }).strict(),
  ),
  remove: request<{ removed: string }>()(id),
  /** Probe one server now instead of waiting for the next sweep. */
  refresh: request<ServerView>()(id),
};
