import net from 'node:net';
import type Tls from 'node:tls';
import type { SniffResult } from '../services/checker';
import { nodeModule } from '../../base/node-module';

const tls = nodeModule<typeof Tls>('node:tls');

/**
 * What an open port of an unknown service speaks, in at most three short connections: a banner
 * it sends unasked (SSH, VNC, SMTP…), else a TLS handshake (https), else an answer to a plain
 * HTTP request (http). TLS is tried before plain HTTP because a TLS server answers a plain
 * request with an HTTP error page and would pass for http. Nothing is logged in, nothing
 * trusted: the handshake is only a question.
 */
export async function sniffPort(host: string, port: number, timeoutMs: number): Promise<SniffResult> {
  const banner = await readBanner(host, port, Math.min(400, timeoutMs));
  if (banner !== undefined) {
    if (banner.startsWith('SSH-')) return { name: 'ssh' };
    if (banner.startsWith('RFB ')) return { name: 'vnc' };
    if (/^220[ -]/.test(banner)) return { name: /ftp/i.test(banner) ? 'ftp' : 'smtp' };
    if (banner.startsWith('HTTP/')) return { scheme: 'http' };
    return {};
  }
  if (await tlsHandshake(host, port, timeoutMs)) return { scheme: 'https' };
  if (await answersHttp(host, port, timeoutMs)) return { scheme: 'http' };
  return {};
}

function connect(host: string, port: number, timeoutMs: number, body: (socket: net.Socket, done: (v: string | undefined) => void) => void): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let finished = false;
    const done = (v: string | undefined) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(v);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    socket.once('error', () => done(undefined));
    socket.once('close', () => done(undefined));
    body(socket, done);
  });
}

/** The first bytes a server sends before being asked, if it does within `waitMs`. */
function readBanner(host: string, port: number, waitMs: number): Promise<string | undefined> {
  return connect(host, port, waitMs, (socket, done) => {
    socket.once('data', (d: Buffer) => done(d.subarray(0, 200).toString('latin1')));
  });
}

function answersHttp(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return connect(host, port, timeoutMs, (socket, done) => {
    socket.once('connect', () => socket.write(`HEAD / HTTP/1.0\r\nHost: ${host}\r\nUser-Agent: Rackdeck\r\n\r\n`));
    socket.once('data', (d: Buffer) => done(d.subarray(0, 8).toString('latin1')));
  }).then((first) => first?.startsWith('HTTP/') ?? false);
}

/**
 * One TLS context for every handshake: without it each tls.connect builds a SecureContext of its
 * own, which was the costliest part of a pass's sniffs in the detect profile (hundreds of unknown
 * ports on the first pass, whose banner came late under load).
 */
let context: Tls.SecureContext | undefined;

function tlsHandshake(host: string, port: number, timeoutMs: number): Promise<boolean> {
  context ??= tls().createSecureContext();
  const secureContext = context;
  return new Promise((resolve) => {
    let finished = false;
    // Only asks "does this port speak TLS?" to label a service link: no request, no credential and
    // no data is sent over it, so its certificate needs no trust.
    const socket = tls().connect({ host, port, secureContext, rejectUnauthorized: false /* handshake only: nothing sent, so no pin or CA check needed */, ...(net.isIP(host) ? {} : { servername: host }) });
    const done = (ok: boolean) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('secureConnect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('close', () => done(false));
  });
}
