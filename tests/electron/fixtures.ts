import type { PowerState } from '../../src/shared/power';
import type { ServerView } from '../../src/shared/server';

/** A ServerView with just what a test cares about. */
export function server(id: string, power: PowerState, extra: Partial<ServerView> = {}): ServerView {
  return { id, name: id, kind: 'physical', address: `127.0.1.${id.length}`, ports: [22], power, since: 0, openPorts: {}, ...extra };
}

export const SSH = { user: 'root', port: 22, auth: 'key' } as const;
export const MAC = 'aa:bb:cc:dd:ee:ff';
