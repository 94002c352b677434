/**
 * Authentication as pveproxy does it: API tokens in the Authorization header, or a ticket in
 * the PVEAuthCookie cookie plus a CSRFPreventionToken header on every non-GET request.
 * Tickets and CSRF tokens are HMAC-signed and stateless like the real RSA-signed ones, so
 * rotating the secret (expireTickets) invalidates every one issued so far.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { LabClock } from './clock';
import type { LabPrivileges } from './cluster-types';
import { ApiError } from './errors';
import { PrivilegeSet } from './permissions';

export interface Principal {
  /** "root@pam" for a ticket session, "root@pam!rackdeck" for a token (the token is the user). */
  userid: string;
  isToken: boolean;
  privileges: PrivilegeSet;
}

interface TokenEntry {
  tokenId: string;
  secret: string;
  privileges: PrivilegeSet;
  /**
   * Tokens made with pveum belong to a user: with privilege separation they hold what their
   * own ACLs grant, within the user's privileges; without it, exactly the user's.
   */
  owner?: { userid: string; privsep: boolean };
}

interface UserEntry {
  username: string;
  password: string;
  privileges: PrivilegeSet;
}

export interface AuthConfig {
  clock: LabClock;
  ticketLifetimeMs: number;
  tokens: readonly { tokenId: string; secret: string; privileges: LabPrivileges }[];
  users: readonly { username: string; password: string; privileges: LabPrivileges }[];
  /** Every privilege of the release: what 'all' means. */
  allPrivileges: readonly string[];
}

/** A 401 from the auth handler: reason in the status line, empty body, delayed. */
const unauthorized = (reason: string): ApiError => new ApiError(401, `${reason}\n`, undefined, true);

const hex8 = (n: number): string => n.toString(16).toUpperCase().padStart(8, '0');

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class Authenticator {
  private secret = randomBytes(32);
  private readonly tokens = new Map<string, TokenEntry>();
  private readonly users = new Map<string, UserEntry>();
  /** Fault: every ticket presented is treated as expired. */
  refuseTickets = false;
  /** Privileges granted through ACLs (/access/acl), on top of the configured ones. */
  granted: (id: string) => readonly string[] = () => [];

  constructor(private readonly config: AuthConfig) {
    const resolve = (p: LabPrivileges): PrivilegeSet => new PrivilegeSet(p === 'all' ? config.allPrivileges : p);
    for (const t of config.tokens) {
      this.tokens.set(t.tokenId, { tokenId: t.tokenId, secret: t.secret, privileges: resolve(t.privileges) });
    }
    for (const u of config.users) {
      this.users.set(u.username, { username: u.username, password: u.password, privileges: resolve(u.privileges) });
    }
  }

  hasUser(userid: string): boolean {
    return this.users.has(userid);
  }

  hasToken(tokenId: string): boolean {
    return this.tokens.has(tokenId);
  }

  /** pveum user add: a user with no password (PVE realm) and no privileges of its own. */
  addUser(userid: string): void {
    this.users.set(userid, { username: userid, password: '', privileges: new PrivilegeSet([]) });
  }

  /** pveum user token add. */
  addToken(tokenId: string, secret: string, privsep: boolean): void {
    const userid = tokenId.slice(0, tokenId.indexOf('!'));
    this.tokens.set(tokenId, { tokenId, secret, privileges: new PrivilegeSet([]), owner: { userid, privsep } });
  }

  removeToken(tokenId: string): void {
    this.tokens.delete(tokenId);
  }

  /** Invalidates every ticket, CSRF token and console ticket issued so far. */
  expireAll(): void {
    this.secret = randomBytes(32);
  }

  /**
   * Resolves the caller of a request. `needsCsrf` is true for non-GET methods: ticket sessions
   * must then carry a valid CSRFPreventionToken header (tokens need none).
   */
  authenticate(headers: {
    authorization?: string;
    cookie?: string;
    csrf?: string;
    needsCsrf: boolean;
  }): Principal {
    if (headers.authorization) {
      const m = /^PVEAPIToken[=\s](.+)$/.exec(headers.authorization.trim());
      if (m?.[1]) return this.verifyToken(m[1]);
    }
    const ticket = readCookie(headers.cookie, 'PVEAuthCookie');
    if (!ticket) throw unauthorized('No ticket');
    const userid = this.verifyTicket(ticket);
    if (!userid) throw unauthorized('permission denied - invalid PVE ticket');
    if (headers.needsCsrf && !this.verifyCsrf(userid, headers.csrf ?? '')) {
      throw unauthorized('Permission denied - invalid csrf token');
    }
    return { userid, isToken: false, privileges: this.privilegesOf(userid) };
  }

  /** POST /access/ticket: a password, or a still-valid ticket of the same user (renewal). */
  login(username: string, password: string): { username: string; ticket: string; csrf: string; privileges: PrivilegeSet } {
    const user = this.users.get(username);
    const renewedBy = password.startsWith('PVE:') ? this.verifyTicket(password) : undefined;
    // A user made by pveum without a password cannot log in with one.
    const ok = user !== undefined && (renewedBy === username || (renewedBy === undefined && user.password !== '' && sameText(user.password, password)));
    if (!user || !ok) throw new ApiError(401, 'authentication failure\n');
    return { username, ticket: this.issueTicket(username), csrf: this.issueCsrf(username), privileges: this.privilegesOf(username) };
  }

  privilegesOf(userid: string): PrivilegeSet {
    const owner = this.tokens.get(userid)?.owner;
    if (owner) {
      const user = this.privilegesOf(owner.userid);
      return owner.privsep ? new PrivilegeSet(this.granted(userid).filter((p) => user.has(p))) : user;
    }
    const base = this.users.get(userid)?.privileges ?? this.tokens.get(userid)?.privileges ?? new PrivilegeSet([]);
    const extra = this.granted(userid);
    return extra.length === 0 ? base : new PrivilegeSet([...base.list(), ...extra]);
  }

  issueTicket(userid: string): string {
    const plain = `PVE:${userid}:${hex8(this.config.clock.nowSec())}`;
    return `${plain}::${this.sign(plain)}`;
  }

  issueCsrf(userid: string): string {
    const ts = hex8(this.config.clock.nowSec());
    return `${ts}:${this.sign(`${ts}:${userid}`)}`;
  }

  /** A console ticket bound to a user and an ACL path, like PVE's vnc tickets. */
  issueVncTicket(userid: string, path: string): string {
    const ts = hex8(this.config.clock.nowSec());
    return `PVEVNC:${ts}::${this.sign(`PVEVNC:${ts}:${userid}:${path}`)}`;
  }

  verifyVncTicket(ticket: string, userid: string, path: string, lifetimeMs: number): boolean {
    const m = /^PVEVNC:([0-9A-F]{8})::(\S+)$/.exec(ticket);
    if (!m?.[1] || !m[2]) return false;
    return sameText(m[2], this.sign(`PVEVNC:${m[1]}:${userid}:${path}`)) && this.fresh(m[1], lifetimeMs);
  }

  /** Returns the ticket's user when the ticket is genuine and not expired. */
  verifyTicket(ticket: string): string | undefined {
    if (this.refuseTickets) return undefined;
    const m = /^(PVE:([^:\s]+):([0-9A-F]{8}))::(\S+)$/.exec(ticket);
    if (!m?.[1] || !m[2] || !m[3] || !m[4]) return undefined;
    if (!sameText(m[4], this.sign(m[1]))) return undefined;
    return this.fresh(m[3], this.config.ticketLifetimeMs) ? m[2] : undefined;
  }

  private verifyCsrf(userid: string, token: string): boolean {
    const m = /^([0-9A-F]{8}):(\S+)$/.exec(token);
    if (!m?.[1] || !m[2]) return false;
    return sameText(m[2], this.sign(`${m[1]}:${userid}`)) && this.fresh(m[1], this.config.ticketLifetimeMs);
  }

  private verifyToken(value: string): Principal {
    const eq = value.lastIndexOf('=');
    if (eq <= 0) throw unauthorized('no tokenid specified');
    const tokenId = value.slice(0, eq);
    const secret = value.slice(eq + 1);
    const bang = tokenId.indexOf('!');
    const token = this.tokens.get(tokenId);
    if (!token) {
      const user = bang > 0 ? tokenId.slice(0, bang) : tokenId;
      throw unauthorized(`no such token '${bang > 0 ? tokenId.slice(bang + 1) : ''}' for user '${user}'`);
    }
    if (!sameText(token.secret, secret)) throw unauthorized('invalid token value!');
    return { userid: tokenId, isToken: true, privileges: this.privilegesOf(tokenId) };
  }

  /** Proxmox allows 5 minutes of clock skew into the future. */
  private fresh(hexTime: string, lifetimeMs: number): boolean {
    const age = this.config.clock.nowSec() - parseInt(hexTime, 16);
    return age > -300 && age * 1000 < lifetimeMs;
  }

  private sign(data: string): string {
    return createHmac('sha256', this.secret).update(data).digest('base64').replace(/=+$/, '');
  }
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    const raw = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(raw);
    } catch {
      return raw;
    }
  }
  return undefined;
}
