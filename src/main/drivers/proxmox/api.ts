import type * as z from 'zod';
import type { Clock } from '../../base/clock';
import { ticketSession, tokenSession, type AuthSession, type TicketSession } from './auth';
import type { ProxmoxCredentials } from './model/credentials';
import { ProxmoxError, errorFromResponse } from './model/errors';
import { createHttp, type HttpOptions, type ProxmoxHttp } from './http';

/**
 * The request layer: paths, parameter encoding, the `{data}` envelope, errors, auth. Every
 * answer goes through a schema before anything else sees it.
 */

export type ParamValue = string | number | boolean | undefined | null | readonly (string | number)[];
export type Params = Record<string, ParamValue>;

/**
 * Booleans travel as 1/0 on the Proxmox wire; undefined and null are left out; an array
 * parameter (a bulk action's `vms`) is the field repeated, which pveproxy reads as an array.
 */
export function encodeParams(params: Params | undefined): URLSearchParams {
  const out = new URLSearchParams();
  for (const [k, v] of Object.entries(params ?? {})) {
    if (v === undefined || v === null) continue;
    if (Array.isArray(v)) for (const item of v as readonly (string | number)[]) out.append(k, String(item));
    else out.append(k, typeof v === 'boolean' ? (v ? '1' : '0') : String(v));
  }
  return out;
}

/** Builds an API path with each interpolated value percent-encoded (UPIDs hold ':' '@' '!'). */
export function apiPath(strings: TemplateStringsArray, ...values: (string | number)[]): string {
  return strings.reduce((acc, s, i) => acc + s + (i < values.length ? encodeURIComponent(String(values[i])) : ''), '');
}

export interface ProxmoxApi {
  readonly baseUrl: string;
  readonly auth: AuthSession;
  get<S extends z.ZodType>(path: string, schema: S, params?: Params): Promise<z.output<S>>;
  post<S extends z.ZodType>(path: string, schema: S, params?: Params): Promise<z.output<S>>;
  put<S extends z.ZodType>(path: string, schema: S, params?: Params): Promise<z.output<S>>;
  delete<S extends z.ZodType>(path: string, schema: S, params?: Params): Promise<z.output<S>>;
  /** Requests sent so far (for the "one request per refresh" figure). */
  readonly requestCount: number;
  close(): void;
}

export interface ApiOptions extends HttpOptions {
  credentials: ProxmoxCredentials;
  clock: Clock;
  renewAfterMs?: number;
}

export function createApi(options: ApiOptions): ProxmoxApi & { ticket?: TicketSession } {
  const http = createHttp(options);
  let count = 0;

  const unwrap = (res: Awaited<ReturnType<ProxmoxHttp['send']>>, request: string): unknown => {
    if (res.status < 200 || res.status >= 300) throw errorFromResponse({ status: res.status, statusText: res.statusText, body: res.body, request });
    const body = res.body;
    if (typeof body !== 'object' || body === null || !('data' in body)) {
      throw new ProxmoxError('protocol', `${request}: the answer is not a Proxmox API envelope`, { status: res.status, request });
    }
    return (body as { data: unknown }).data;
  };

  const login = async (username: string, password: string): Promise<unknown> => {
    count += 1;
    const request = 'POST /access/ticket';
    const res = await http.send('POST', '/access/ticket', { body: encodeParams({ username, password }) });
    return unwrap(res, request);
  };

  const auth: AuthSession =
    options.credentials.kind === 'token'
      ? tokenSession(options.credentials.tokenId, options.credentials.secret)
      : ticketSession({ username: options.credentials.username, password: options.credentials.password, login, clock: options.clock, ...(options.renewAfterMs ? { renewAfterMs: options.renewAfterMs } : {}) });

  const call = async <S extends z.ZodType>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, schema: S, params?: Params): Promise<z.output<S>> => {
    const request = `${method} ${path}`;
    const encoded = encodeParams(params);
    const attempt = async () => {
      const headers = await auth.headers(method);
      count += 1;
      return http.send(method, path, method === 'GET' || method === 'DELETE' ? { params: encoded, headers } : { body: encoded, headers });
    };
    let res = await attempt();
    // A ticket can be refused before its time (the cluster restarted its auth key): log in once more.
    if (res.status === 401 && auth.invalidate()) res = await attempt();
    const data = unwrap(res, request);
    const parsed = schema.safeParse(data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ProxmoxError('protocol', `${request}: unexpected answer (${issue ? `${issue.path.join('.') || 'data'}: ${issue.message}` : 'invalid'})`, { request });
    }
    return parsed.data as z.output<S>;
  };

  return {
    baseUrl: http.baseUrl,
    auth,
    ...(auth.kind === 'ticket' ? { ticket: auth as TicketSession } : {}),
    get: (path, schema, params) => call('GET', path, schema, params),
    post: (path, schema, params) => call('POST', path, schema, params),
    put: (path, schema, params) => call('PUT', path, schema, params),
    delete: (path, schema, params) => call('DELETE', path, schema, params),
    get requestCount() {
      return count;
    },
    close: () => http.close(),
  };
}
