import type WebSocket from 'ws';
import * as z from 'zod';
import { apiPath } from '../../../drivers/proxmox/api';
import { newPinnedAgent } from '../../../drivers/proxmox/http';
import { ConsoleError, describeFailure } from '../../errors';
import type { ProxmoxConsoleTarget } from '../../ports';
import { lazySchema } from '../../../../shared/contract/lazy';

export interface ConsoleGrant {
  user: string;
  ticket: string;
  port: number;
  upid?: string | undefined;
  /** vncproxy with generate-password: the VNC password; otherwise the ticket serves as one. */
  password?: string | undefined;
}

const grantSchema = lazySchema(() => z.object({
  user: z.string().min(1),
  ticket: z.string().min(1),
  port: z.union([z.number().int(), z.string().regex(/^\d+$/)]).transform((p) => Number(p)),
  upid: z.string().optional(),
  password: z.string().optional(),
  cert: z.string().optional(),
}));

function basePath(target: ProxmoxConsoleTarget): string {
  return target.guest ? apiPath`/nodes/${target.node}/${target.guest.type}/${target.guest.vmid}` : apiPath`/nodes/${target.node}`;
}

function where(target: ProxmoxConsoleTarget): string {
  return target.guest ? `${target.guest.type === 'qemu' ? 'VM' : 'CT'} ${target.guest.vmid} on ${target.node}` : `node ${target.node}`;
}

const versionSchema = lazySchema(() => z.object({ version: z.string().optional() }).passthrough());

/**
 * Proxmox VE 9.1 checks a console's login through /access/vncticket, which takes an API token;
 * 8.x checks it as a user's ticket and closes the console of a token right after it opened
 * (src/lab/proxmox/README.md, "Consoles by API token"). With a token the release is asked
 * first (one small request), so an 8.x cluster gets the fix instead of a console that fails.
 */
async function requireConsoleLogin(target: ProxmoxConsoleTarget): Promise<void> {
  if (target.api.auth.kind !== 'token') return;
  let version: string | undefined;
  try {
    version = (await target.api.get('/version', versionSchema)).version;
  } catch (error) {
    throw new ConsoleError('failed', `Proxmox would not say its release for cluster ${target.cluster}: ${describeFailure(error)}`);
  }
  const major = Number(/^(\d+)\./.exec(version ?? '')?.[1]);
  if (Number.isInteger(major) && major < 9) {
    throw new ConsoleError(
      'failed',
      `Proxmox consoles of cluster ${target.cluster} need a user login: Proxmox VE ${version ?? '8'} does not accept API tokens on consoles (9.1 does)`,
      `Add a user login for its consoles (Proxmox panel → ${target.cluster} → Console login), or upgrade the cluster to Proxmox VE 9.1`,
    );
  }
}

/** POST termproxy (a terminal) or vncproxy (a screen): a one-time ticket and a port. */
export async function requestConsole(target: ProxmoxConsoleTarget, protocol: 'term' | 'vnc'): Promise<ConsoleGrant> {
  await requireConsoleLogin(target);
  const path = `${basePath(target)}/${protocol === 'term' ? 'termproxy' : 'vncproxy'}`;
  try {
    const g = await target.api.post(path, grantSchema, protocol === 'vnc' ? { websocket: 1 } : undefined);
    return { user: g.user, ticket: g.ticket, port: g.port, upid: g.upid, password: g.password };
  } catch (error) {
    throw new ConsoleError('failed', `Proxmox would not open a console on ${where(target)}: ${describeFailure(error)}`);
  }
}

/**
 * Opens the vncwebsocket for a grant, with the `binary` subprotocol and the session's cookie.
 * The TLS handshake is judged by the same pinned-certificate rule as the API before the
 * upgrade request (and its cookie) is written. The socket comes back paused: resume it once
 * its listeners are on.
 */
export async function openConsoleSocket(target: ProxmoxConsoleTarget, grant: ConsoleGrant, options: { timeoutMs?: number } = {}): Promise<WebSocket> {
  const base = new URL(target.api.baseUrl);
  const url = new URL(`wss://${base.host}/api2/json${basePath(target)}/vncwebsocket`);
  url.searchParams.set('port', String(grant.port));
  url.searchParams.set('vncticket', grant.ticket);
  const headers = await target.api.auth.headers('GET');
  // ws is loaded by the first console, not by every start of the engine (a CLI command).
  const { default: WebSocketClient } = await import('ws');
  const agent = newPinnedAgent({ fingerprint: target.tls.fingerprint, ca: target.tls.ca, timeoutMs: options.timeoutMs ?? 10_000 });
  return new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocketClient(url, ['binary'], {
      agent,
      headers,
      perMessageDeflate: false,
      handshakeTimeout: options.timeoutMs ?? 10_000,
      maxPayload: 64 * 1024 * 1024,
      followRedirects: false,
    });
    const done = () => {
      ws.off('open', onOpen);
      ws.off('error', onError);
      // Until the console source puts its own listener on, an error (a bad frame from the server)
      // must not go unheard: with no listener it would end the process.
      ws.on('error', () => undefined);
    };
    const onOpen = () => {
      done();
      // Held until the source has its listeners on: the server may speak first, in the very
      // packet that finished the upgrade, and those bytes would be gone before anyone listened.
      ws.pause();
      resolve(ws);
    };
    const onError = (error: Error) => {
      done();
      agent.destroy();
      ws.terminate();
      reject(new ConsoleError('failed', `The console websocket to ${where(target)} could not be opened: ${describeFailure(error)}`));
    };
    ws.on('open', onOpen);
    ws.on('error', onError);
    ws.once('close', () => agent.destroy());
  });
}

export function toBuffer(data: WebSocket.RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
