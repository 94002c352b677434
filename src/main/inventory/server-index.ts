import type { ServerConfig } from '../../shared/server';

/**
 * The servers by id, built once per list. The engine looks a server up by id for every probe it
 * makes and every observation it applies (tens of thousands a minute with 1 000 servers: the
 * watch, the sweep, the service checks), and a scan of the list each time was a few per cent of
 * its idle CPU (docs/PERFORMANCE.md, detect.cpu). The engine's lists are never changed in place
 * (each write makes a new document), so the list's identity says when to build the map again.
 */
export class ServerIndex {
  private list: readonly ServerConfig[] | undefined;
  private byId = new Map<string, ServerConfig>();

  /** The server with this id in `servers`, or undefined. */
  get(servers: readonly ServerConfig[], id: string): ServerConfig | undefined {
    if (servers !== this.list) {
      this.byId = new Map(servers.map((s) => [s.id, s]));
      this.list = servers;
    }
    return this.byId.get(id);
  }
}
