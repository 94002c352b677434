import type { Clock } from '../../base/clock';
import { ProxmoxError } from './model/errors';
import { ticketSchema } from './model/parse';

/**
 * Authentication to the Proxmox API: an API token (a header on every request, nothing to
 * renew, no CSRF token) or a ticket session (username + password, a cookie renewed before its
 * two-hour lifetime ends, and the CSRFPreventionToken on every write).
 */

/** Sends the login request; provided by the API layer so auth needs no HTTP of its own. */
export type LoginFn = (username: string, password: string) => Promise<unknown>;

export interface AuthSession {
  readonly kind: 'token' | 'ticket';
  /** Who the session acts as (user@realm or user@realm!token), for messages. */
  readonly principal: string;
  /** Headers for one request, logging in or renewing first when needed. */
  headers(method: string): Promise<Record<string, string>>;
  /** A 401 came back: drop what is cached. True when a fresh login may fix it (worth one retry). */
  invalidate(): boolean;
}

export function tokenSession(tokenId: string, secret: string): AuthSession {
  const header = `PVEAPIToken=${tokenId}=${secret}`;
  return {
    kind: 'token',
    principal: tokenId,
    headers: async () => ({ Authorization: header }),
    invalidate: () => false,
  };
}

/** PVE tickets are valid for two hours. */
export const TICKET_LIFETIME_MS = 2 * 60 * 60 * 1000;

interface Ticket {
  value: string;
  csrf: string;
  obtainedAt: number;
}

export interface TicketSessionOptions {
  username: string;
  password: string;
  login: LoginFn;
  clock: Clock;
  /** Renew when the ticket is this old (default 1 h, well inside the 2 h lifetime; the GUI renews every 15 min). */
  renewAfterMs?: number;
}

export interface TicketSession extends AuthSession {
  /** When the current ticket was obtained, for tests and the status view. */
  readonly ticketAge: number | undefined;
  /** How many logins and renewals were made. */
  readonly stats: { logins: number; renewals: number };
}

export function ticketSession(options: TicketSessionOptions): TicketSession {
  const { username, password, login, clock } = options;
  const renewAfter = options.renewAfterMs ?? 60 * 60 * 1000;
  let ticket: Ticket | undefined;
  let pending: Promise<Ticket> | undefined;
  const stats = { logins: 0, renewals: 0 };

  const obtain = async (secret: string, renewal: boolean): Promise<Ticket> => {
    const raw = await login(username, secret);
    const parsed = ticketSchema.parse(raw);
    if (parsed.needTfa) {
      throw new ProxmoxError('tfa_required', `${username} has two-factor authentication enabled; Rackdeck cannot answer the second factor. Use an API token for this cluster instead.`);
    }
    if (!parsed.ticket || !parsed.csrf) throw new ProxmoxError('protocol', 'The login answer carried no ticket');
    if (renewal) stats.renewals += 1;
    else stats.logins += 1;
    return { value: parsed.ticket, csrf: parsed.csrf, obtainedAt: clock.now() };
  };

  const fresh = async (): Promise<Ticket> => {
    const now = clock.now();
    if (ticket && now - ticket.obtainedAt < renewAfter) return ticket;
    if (!pending) {
      const current = ticket;
      pending = (async () => {
        // A ticket still inside its lifetime is renewed with itself as the password; one that
        // has expired (the laptop slept) or whose renewal is refused needs the password again.
        if (current && now - current.obtainedAt < TICKET_LIFETIME_MS - 60_000) {
          try {
            return await obtain(current.value, true);
          } catch (error) {
            if (!(error instanceof ProxmoxError) || error.kind !== 'auth') throw error;
          }
        }
        return obtain(password, false);
      })().then(
        (t) => {
          ticket = t;
          pending = undefined;
          return t;
        },
        (error: unknown) => {
          pending = undefined;
          throw error;
        },
      );
    }
    return pending;
  };

  return {
    kind: 'ticket',
    principal: username,
    async headers(method) {
      const t = await fresh();
      return {
        Cookie: `PVEAuthCookie=${encodeURIComponent(t.value)}`,
        ...(method.toUpperCase() === 'GET' ? {} : { CSRFPreventionToken: t.csrf }),
      };
    },
    invalidate() {
      const had = ticket !== undefined;
      ticket = undefined;
      return had;
    },
    get ticketAge() {
      return ticket ? clock.now() - ticket.obtainedAt : undefined;
    },
    stats,
  };
}
