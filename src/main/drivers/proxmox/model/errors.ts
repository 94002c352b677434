/**
 * Every failure of the Proxmox driver is a ProxmoxError with a `kind` that names its cause, so
 * the UI and the CLI can say "wrong credentials", "missing privilege VM.PowerMgmt on /vms/100",
 * "node unreachable" or "certificate changed" instead of "request failed with status 500".
 */
export type ProxmoxErrorKind =
  | 'auth'
  | 'tfa_required'
  | 'permission'
  | 'not_found'
  | 'not_running'
  | 'parameter'
  | 'not_implemented'
  | 'unreachable'
  | 'timeout'
  | 'certificate_untrusted'
  | 'certificate_mismatch'
  | 'task_failed'
  | 'protocol'
  | 'server';

export interface ProxmoxErrorDetails {
  status?: number;
  /** The API request that failed, e.g. "POST /nodes/pve/qemu/100/status/start". */
  request?: string;
  /** For `permission`: the ACL path and the privilege the check wanted. */
  permission?: { path: string; privilege: string };
  /** For `parameter`: parameter → what is wrong with it. */
  errors?: Record<string, string>;
  /** For certificate errors: the SHA-256 fingerprint the server presented (AA:BB:… form). */
  fingerprint?: string;
  /** For `certificate_mismatch`: the pinned fingerprint it should have had. */
  expectedFingerprint?: string;
  /** For `task_failed`: the task and its exit status. */
  upid?: string;
  exitstatus?: string;
  cause?: unknown;
}

export class ProxmoxError extends Error {
  readonly kind: ProxmoxErrorKind;
  readonly status: number | undefined;
  readonly request: string | undefined;
  readonly permission: { path: string; privilege: string } | undefined;
  readonly errors: Record<string, string> | undefined;
  readonly fingerprint: string | undefined;
  readonly expectedFingerprint: string | undefined;
  readonly upid: string | undefined;
  readonly exitstatus: string | undefined;

  constructor(kind: ProxmoxErrorKind, message: string, details: ProxmoxErrorDetails = {}) {
    super(message, details.cause !== undefined ? { cause: details.cause } : undefined);
    this.name = 'ProxmoxError';
    this.kind = kind;
    this.status = details.status;
    this.request = details.request;
    this.permission = details.permission;
    this.errors = details.errors;
    this.fingerprint = details.fingerprint;
    this.expectedFingerprint = details.expectedFingerprint;
    this.upid = details.upid;
    this.exitstatus = details.exitstatus;
  }
}

export function isProxmoxError(error: unknown, kind?: ProxmoxErrorKind): error is ProxmoxError {
  return error instanceof ProxmoxError && (kind === undefined || error.kind === kind);
}

const PERMISSION = /Permission check failed \(([^,()]+),\s*([^()]+?)\)/i;
const NOT_FOUND = /Configuration file '[^']*' does not exist|does not exist|no such (?:VM|container|node|snapshot|storage|task)/i;
const NOT_RUNNING = /\bnot running\b/i;

/** "Permission check failed (/vms/100, VM.PowerMgmt)" → { path, privilege }. */
export function parsePermission(message: string): { path: string; privilege: string } | undefined {
  const m = PERMISSION.exec(message);
  return m ? { path: (m[1] as string).trim(), privilege: (m[2] as string).trim() } : undefined;
}

/** The body of an error response as far as it can be read: `message`, `errors`, nothing else matters. */
export interface ErrorBody {
  message?: string;
  errors?: Record<string, string>;
}

export function readErrorBody(body: unknown): ErrorBody {
  if (typeof body === 'string') {
    const text = body.trim();
    if (!text) return {};
    try {
      return readErrorBody(JSON.parse(text) as unknown);
    } catch {
      // An HTML or plain-text body (a proxy in front of the node, an old server): keep it short.
      return text.startsWith('<') ? {} : { message: text.slice(0, 300) };
    }
  }
  if (typeof body !== 'object' || body === null) return {};
  const rec = body as Record<string, unknown>;
  const out: ErrorBody = {};
  if (typeof rec.message === 'string' && rec.message.trim()) out.message = rec.message.trim();
  if (typeof rec.errors === 'object' && rec.errors !== null && !Array.isArray(rec.errors)) {
    const errors: Record<string, string> = {};
    for (const [k, v] of Object.entries(rec.errors as Record<string, unknown>)) errors[k] = String(v).trim();
    if (Object.keys(errors).length) out.errors = errors;
  }
  return out;
}

/**
 * Turns an HTTP error response into a ProxmoxError. The reason is taken from the JSON body's
 * `message` when there is one, else from the status line's reason phrase (which carries it on
 * every PVE version), else from the status code.
 */
export function errorFromResponse(input: { status: number; statusText?: string; body?: unknown; request?: string }): ProxmoxError {
  const { status, request } = input;
  const body = readErrorBody(input.body);
  const reason = body.message ?? (input.statusText?.trim() || undefined) ?? `HTTP ${status}`;
  const base = { status, ...(request ? { request } : {}) };
  const errors = body.errors;

  if (status === 401) {
    const message = /authentication failure|no ticket|invalid ticket|invalid token|permission denied - invalid/i.test(reason)
      ? `Wrong credentials: the cluster answered "${reason}"`
      : `Not authenticated: ${reason}`;
    return new ProxmoxError('auth', message, base);
  }
  if (status === 403) {
    const permission = parsePermission(reason);
    const message = permission
      ? `Missing privilege ${permission.privilege} on ${permission.path}`
      : `Permission denied: ${reason}`;
    return new ProxmoxError('permission', message, { ...base, ...(permission ? { permission } : {}) });
  }
  if (status === 400 && errors) {
    if (errors.upid && /no such task/i.test(errors.upid)) return new ProxmoxError('not_found', 'No such task', { ...base, errors });
    const list = Object.entries(errors).map(([k, v]) => `${k}: ${v}`).join('; ');
    return new ProxmoxError('parameter', `Parameter verification failed: ${list}`, { ...base, errors });
  }
  if (status === 501) return new ProxmoxError('not_implemented', `Not supported by this Proxmox version: ${reason}`, base);
  if (status === 404) return new ProxmoxError('not_found', reason, base);
  if (status === 500 || status === 400) {
    if (NOT_RUNNING.test(reason)) return new ProxmoxError('not_running', reason, base);
    if (NOT_FOUND.test(reason)) return new ProxmoxError('not_found', reason, base);
  }
  if (status === 595 || status === 596) {
    // pveproxy's own codes when it cannot reach the target node of a proxied request.
    return new ProxmoxError('unreachable', `The node is unreachable: ${reason}`, base);
  }
  return new ProxmoxError('server', reason, { ...base, ...(errors ? { errors } : {}) });
}

/** Socket-level failures: the cluster did not answer at all. */
export function errorFromTransport(error: unknown, request?: string): ProxmoxError {
  if (error instanceof ProxmoxError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const base = { ...(request ? { request } : {}), cause: error };
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(message)) {
    return new ProxmoxError('timeout', `The cluster did not answer in time (${message})`, base);
  }
  if (typeof code === 'string' && /^(ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|ECONNRESET|EPIPE|ERR_SOCKET)/.test(code)) {
    return new ProxmoxError('unreachable', `The cluster is unreachable (${code}: ${message})`, base);
  }
  return new ProxmoxError('unreachable', `The cluster is unreachable: ${message}`, base);
}
