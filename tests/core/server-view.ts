import type { ServerView } from '../../src/shared/server';

/** A running physical server's view as a face receives it, with `over` laid on top. */
export const view = (id: string, over: Partial<ServerView> = {}): ServerView => ({
  id,
  name: id,
  kind: 'physical',
  address: '127.0.162.1',
  ports: [22, 443],
  power: 'on',
  since: 1,
  openPorts: { '22': true, '443': false },
  ...over,
});
