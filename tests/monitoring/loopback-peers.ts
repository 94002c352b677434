import http from 'node:http';
import net from 'node:net';

/**
 * Tiny peers on 127.0.0.1 for the alert channels: an SMTP responder that accepts mail and
 * keeps it, and an HTTP server that keeps what is POSTed to it. Nothing leaves loopback.
 */
export interface ReceivedMail {
  from: string;
  to: string[];
  data: string;
  /** The decoded AUTH PLAIN credentials, when the client logged in. */
  auth?: { user: string; pass: string };
}

export interface SmtpPeer {
  port: number;
  mails: ReceivedMail[];
  /** Answer RCPT TO with this (e.g. '550 no such user') instead of 250. */
  rejectRecipients?: string;
  close(): Promise<void>;
}

export async function startSmtp(): Promise<SmtpPeer> {
  const mails: ReceivedMail[] = [];
  const sockets = new Set<net.Socket>();
  const peer: SmtpPeer = { port: 0, mails, close: async () => undefined };
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffer = '';
    let inData = false;
    let current: ReceivedMail = { from: '', to: [], data: '' };
    let auth: ReceivedMail['auth'];
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply('220 loopback ESMTP test');
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          current.data = buffer.slice(0, end);
          buffer = buffer.slice(end + 5);
          inData = false;
          mails.push({ ...current, ...(auth ? { auth } : {}) });
          current = { from: '', to: [], data: '' };
          reply('250 2.0.0 queued');
          continue;
        }
        const nl = buffer.indexOf('\r\n');
        if (nl < 0) return;
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 2);
        const verb = line.split(' ')[0]?.toUpperCase();
        if (verb === 'EHLO') reply('250-loopback\r\n250-AUTH PLAIN\r\n250 8BITMIME');
        else if (verb === 'HELO') reply('250 loopback');
        else if (verb === 'AUTH') {
          const b64 = line.split(' ')[2] ?? '';
          const [, user = '', pass = ''] = Buffer.from(b64, 'base64').toString('utf8').split('\0');
          auth = { user, pass };
          reply('235 2.7.0 accepted');
        } else if (verb === 'MAIL') {
          current.from = /<([^>]*)>/.exec(line)?.[1] ?? '';
          reply('250 ok');
        } else if (verb === 'RCPT') {
          if (peer.rejectRecipients) reply(peer.rejectRecipients);
          else {
            current.to.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
            reply('250 ok');
          }
        } else if (verb === 'DATA') {
          inData = true;
          reply('354 go ahead');
        } else if (verb === 'RSET' || verb === 'NOOP') reply('250 ok');
        else if (verb === 'QUIT') {
          reply('221 bye');
          socket.end();
        } else reply('502 not implemented');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  peer.port = (server.address() as net.AddressInfo).port;
  peer.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return peer;
}

export interface HttpPeer {
  url: string;
  requests: Array<{ method: string; path: string; headers: http.IncomingHttpHeaders; body: string }>;
  /** Status to answer with (default 200). */
  status: number;
  close(): Promise<void>;
}

export async function startHttp(): Promise<HttpPeer> {
  const peer: HttpPeer = { url: '', requests: [], status: 200, close: async () => undefined };
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (body += d));
    req.on('end', () => {
      peer.requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      res.writeHead(peer.status, { 'content-type': 'text/plain' });
      res.end(peer.status < 300 ? 'ok' : 'topic not allowed\nmore');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  peer.url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  peer.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return peer;
}
