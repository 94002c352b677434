import { randomBytes, timingSafeEqual } from 'node:crypto';
import net from 'node:net';

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Constant-time comparison, so the token cannot be guessed a character at a time. */
export function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * A WebSocket upgrade from another site's page would carry the admin's browser to our socket
 * (cross-site WebSocket hijacking); only our own origin, or none (CLI tools), is accepted.
 */
export function originAllowed(origin: string | undefined, host: string | undefined): boolean {
  if (!origin) return true;
  if (!host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * The addresses that mean "this machine only". The plain-HTTP default: anything else (a LAN
 * address, every interface, even another loopback address such as 127.0.0.2) is served over
 * HTTPS, with the warning printed at every start.
 */
const DEFAULT_LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function isDefaultLoopback(host: string): boolean {
  return DEFAULT_LOOPBACK.has(bareHost(host));
}

/** Whether an address stays on this machine (127.0.0.0/8, ::1, localhost). */
function isLoopback(host: string): boolean {
  const h = bareHost(host);
  return h === 'localhost' || h === '::1' || (net.isIPv4(h) && h.startsWith('127.'));
}

function isWildcard(host: string): boolean {
  const h = bareHost(host);
  return h === '' || h === '0.0.0.0' || h === '::';
}

/** `[::1]` → `::1`, lower case. */
function bareHost(host: string): string {
  return host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
}

/** The host name of a Host header (`name:port`, `[v6]:port`), lower case; undefined when it is not one. */
export function hostnameOfHeader(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const h = header.trim().toLowerCase();
  const v6 = /^\[([0-9a-f:.]+)\](?::\d{1,5})?$/.exec(h);
  if (v6) return v6[1];
  const named = /^([a-z0-9.-]+)(?::\d{1,5})?$/.exec(h);
  return named?.[1]?.replace(/\.$/, '');
}

/**
 * The names a Host header may carry: the address the face is bound to (every interface's own
 * address when bound to all of them), `localhost` and the loopback addresses when it stays on
 * this machine, and the names the admin listed in `settings.web.allowedHosts`. A page of
 * another site whose name was re-pointed at this address (DNS rebinding) carries its own name
 * and is refused.
 */
export function allowedHostnames(bound: string, configured: readonly string[], interfaceAddresses: () => readonly string[]): ReadonlySet<string> {
  const names = new Set<string>(configured.map((n) => bareHost(n)));
  const host = bareHost(bound);
  if (isWildcard(host)) {
    for (const a of interfaceAddresses()) names.add(bareHost(a));
    for (const n of ['localhost', '127.0.0.1', '::1']) names.add(n);
  } else {
    names.add(host);
    if (isLoopback(host)) for (const n of ['localhost', '127.0.0.1', '::1']) names.add(n);
  }
  return names;
}

/** Same policy as the desktop window: our own scripts only, sockets to ourselves only. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' ws: wss:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');
