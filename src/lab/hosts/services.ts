import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { HostSpec } from './spec';

/**
 * The non-SSH ports. They only need to look alive to a port probe and to a curious human:
 * http/https serve a one-page site, VNC sends its RFB banner, RDP answers the X.224 connection
 * request with a confirm. Servers are created on first use so idle hosts cost nothing.
 */
export type ConnectionHandler = (socket: Socket) => void;

export interface TlsCredentials {
  key: string;
  cert: string;
}

/** One self-signed certificate for the whole lab, generated on first HTTPS connection. */
export type TlsSource = () => Promise<TlsCredentials>;

function page(spec: HostSpec): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const body = `<!DOCTYPE html>\n<html><head><title>${spec.hostname}</title></head>` +
      `<body><h1>${spec.hostname}</h1><p>${spec.role} on ${spec.prettyName}</p></body></html>\n`;
    res.writeHead(req.url === '/' || req.url === '/index.html' ? 200 : 404, {
      'content-type': 'text/html; charset=utf-8',
      server: spec.os === 'ubuntu' ? 'nginx/1.24.0 (Ubuntu)' : 'nginx/1.22.1',
      connection: 'close',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}

export function createServiceHandlers(spec: HostSpec, tls: TlsSource): Record<string, ConnectionHandler> {
  let http: HttpServer | undefined;
  let https: Promise<HttpsServer> | undefined;
  return {
    http: (socket) => {
      http ??= createHttpServer(page(spec));
      http.emit('connection', socket);
    },
    https: (socket) => {
      socket.pause();
      https ??= tls().then((creds) => createHttpsServer({ key: creds.key, cert: creds.cert }, page(spec)));
      https.then(
        (server) => {
          if (socket.destroyed) return;
          server.emit('connection', socket);
          socket.resume();
        },
        () => socket.destroy(),
      );
    },
    vnc: (socket) => {
      socket.write('RFB 003.008\n');
      socket.on('data', () => undefined);
    },
    rdp: (socket) => {
      socket.once('data', () => {
        // TPKT + X.224 Connection Confirm + RDP_NEG_RSP selecting CredSSP (PROTOCOL_HYBRID).
        socket.write(Buffer.from('030000130ed000001234000200080002000000', 'hex'));
      });
    },
  };
}
