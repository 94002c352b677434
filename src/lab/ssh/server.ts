import type { Socket } from 'node:net';
import ssh2 from 'ssh2';
import type { Connection } from 'ssh2';
import { authenticate } from './auth';
import type { SshHostBinding } from './host-binding';
import { serveSession } from './session';

/**
 * The SSH side of one lab host. The host owns the TCP listener (so power state controls it);
 * this hands accepted sockets to an ssh2 Server that is never bound itself. ssh2 Servers are
 * built on first connection and per host key, which keeps 1000 idle hosts cheap and lets the
 * host key change (rotation, fault) take effect for the next connection.
 */
export class SshEndpoint {
  private readonly servers = new Map<string, InstanceType<typeof ssh2.Server>>();

  constructor(private readonly host: SshHostBinding) {}

  handle(socket: Socket): void {
    const slow = this.host.faults().slowMs;
    if (slow <= 0) {
      this.inject(socket);
      return;
    }
    // A slow box: the TCP connect succeeds at once but the banner arrives late.
    void this.host.delay(slow).then(() => this.inject(socket));
  }

  private inject(socket: Socket): void {
    if (socket.destroyed) return;
    this.server().injectSocket(socket);
  }

  private server(): InstanceType<typeof ssh2.Server> {
    const key = this.host.hostKey();
    let server = this.servers.get(key.fingerprint);
    if (!server) {
      server = new ssh2.Server({ hostKeys: [key.privateOpenSsh], ident: this.host.spec.sshIdent }, (client, info) => this.serve(client, info.ip));
      this.servers.set(key.fingerprint, server);
    }
    return server;
  }

  private serve(client: Connection, from: string): void {
    let user = '';
    let endSession: (() => void) | undefined;
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      user = ctx.username;
      authenticate(ctx, this.host.authPolicy());
    });
    client.on('ready', () => {
      endSession = this.host.sessionStarted();
      client.on('session', (accept) => serveSession(accept(), this.host, user, from));
    });
    client.on('close', () => endSession?.());
  }
}
