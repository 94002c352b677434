/**
 * Consoles: termproxy/vncproxy hand out a one-time ticket and a port and start a task that
 * lives as long as the console; the vncwebsocket upgrade then speaks the termproxy protocol
 * (node shells, containers, serial) or RFB (vncproxy). On PVE 8 console websockets take ticket
 * sessions only: an API-token session is refused the way termproxy/VNC refuse it, after the
 * upgrade. PVE 9's termproxy checks the login line through /access/vncticket, which takes a
 * token id, so there a token session gets its console (profile.tokenConsoles; README.md).
 */
import type { RawData, WebSocket } from 'ws';
import type { Principal } from './auth';
import type { ClusterState } from './cluster-state';
import { ApiError, failure } from './errors';
import { guestName } from './guest-views';
import type { Guest, NodeRecord } from './model';
import { RfbServer, type RfbScreen } from './rfb';
import { FakeShell, type ShellIdentity } from './term-shell';

export interface ConsoleSession {
  port: number;
  protocol: 'term' | 'rfb';
  node: string;
  vmid?: number;
  user: string;
  ticket: string;
  /** ACL path the ticket is bound to: /nodes/<node> or /vms/<vmid>. */
  path: string;
  upid: string;
  connected: boolean;
  timer?: NodeJS.Timeout;
  socket?: WebSocket;
}

export interface ConsoleGrant {
  user: string;
  ticket: string;
  port: number;
  upid: string;
}

const FIRST_PORT = 5900;
const PORTS = 100;

export class ConsoleManager {
  private readonly sessions = new Map<number, ConsoleSession>();
  private nextPort = FIRST_PORT;

  constructor(private readonly state: ClusterState) {}

  /** termproxy / vncproxy: reserve a port, issue the ticket, start the console task. */
  open(opts: { protocol: 'term' | 'rfb'; node: NodeRecord; guest?: Guest; principal: Principal; taskType: string }): ConsoleGrant {
    const { state } = this;
    const { guest, node, principal } = opts;
    if (guest && guest.status !== 'running') {
      throw failure(`${guest.type === 'qemu' ? 'VM' : 'CT'} ${guest.vmid} not running`);
    }
    const port = this.allocatePort();
    const path = guest ? `/vms/${guest.vmid}` : `/nodes/${node.name}`;
    const ticket = state.auth.issueVncTicket(principal.userid, path);
    const task = state.startTask({
      node: node.name,
      type: opts.taskType,
      id: guest ? String(guest.vmid) : '',
      user: principal.userid,
      durationMs: 0,
      held: true,
    });
    const session: ConsoleSession = {
      port,
      protocol: opts.protocol,
      node: node.name,
      vmid: guest?.vmid,
      user: principal.userid,
      ticket,
      path,
      upid: task.upid,
      connected: false,
    };
    // Like termproxy, give up when nobody connects in time.
    session.timer = setTimeout(() => this.close(session, 'connection timed out'), state.settings.consoleTicketLifetimeMs);
    session.timer.unref?.();
    this.sessions.set(port, session);
    return { user: principal.userid, ticket, port, upid: task.upid };
  }

  /** GET .../vncwebsocket: the ticket must be valid for this user and the console's path. */
  verify(port: number, vncticket: string, principal: Principal, path: string): ConsoleSession | undefined {
    if (!this.state.auth.verifyVncTicket(vncticket, principal.userid, path, this.state.settings.consoleTicketLifetimeMs)) {
      throw new ApiError(401, 'permission denied - invalid PVEVNC ticket\n');
    }
    const session = this.sessions.get(port);
    return session && !session.connected && session.path === path ? session : undefined;
  }

  /** Runs the console protocol on an upgraded websocket. */
  attach(ws: WebSocket, session: ConsoleSession, principal: Principal): void {
    session.connected = true;
    session.socket = ws;
    if (session.timer) clearTimeout(session.timer);
    ws.on('close', () => this.close(session));
    ws.on('error', () => this.close(session));
    if (session.protocol === 'term') this.runTerminal(ws, session, principal);
    else this.runRfb(ws, session, principal);
  }

  /** Ends the consoles of a node that went down. */
  closeNode(node: string): void {
    for (const session of [...this.sessions.values()]) {
      if (session.node === node) {
        session.socket?.terminate();
        this.close(session, 'unexpected status');
      }
    }
  }

  stop(): void {
    for (const session of [...this.sessions.values()]) {
      session.socket?.terminate();
      this.close(session);
    }
  }

  private close(session: ConsoleSession, error?: string): void {
    if (this.sessions.get(session.port) !== session) return;
    this.sessions.delete(session.port);
    if (session.timer) clearTimeout(session.timer);
    this.state.tasks.end(session.upid, error);
  }

  private allocatePort(): number {
    for (let i = 0; i < PORTS; i++) {
      const port = FIRST_PORT + ((this.nextPort - FIRST_PORT + i) % PORTS);
      if (!this.sessions.has(port)) {
        this.nextPort = port + 1;
        return port;
      }
    }
    throw failure('unable to find free port (5900-5999)');
  }

  private identity(session: ConsoleSession): ShellIdentity {
    const { state } = this;
    const guest = session.vmid !== undefined ? state.guests.get(session.vmid) : undefined;
    const node = state.findNode(session.node);
    const hostname = guest ? guestName(guest) : session.node;
    const { kernel } = state.profile;
    const banner = guest
      ? [`Debian GNU/Linux 12 ${hostname} console`, '']
      : [
          `Linux ${hostname} ${kernel.release} ${kernel.version} x86_64`,
          '',
          'The programs included with the Debian GNU/Linux system are free software;',
          'the exact distribution terms for each program are described in the',
          'individual files in /usr/share/doc/*/copyright.',
          '',
          'Debian GNU/Linux comes with ABSOLUTELY NO WARRANTY, to the extent',
          'permitted by applicable law.',
        ];
    return {
      hostname,
      kernelRelease: kernel.release,
      kernelVersion: kernel.version,
      banner,
      now: () => state.clock.now(),
      uptimeSec: () => (guest ? state.figures.uptime(guest, state.clock.now()) : state.nodeUptime(session.node)),
      loadavg: () => (node ? state.figures.loadavg(node, state.guestsOn(node.name), state.clock.now()) : [0, 0, 0]),
    };
  }

  /**
   * termproxy: the client's first line is "<user>:<ticket>\n", answered "OK"; then frames
   * "0:<bytes>:<data>" (input), "1:<cols>:<rows>:" (resize) and "2" (keep-alive).
   */
  private runTerminal(ws: WebSocket, session: ConsoleSession, principal: Principal): void {
    const send = (text: string): void => {
      if (ws.readyState === ws.OPEN) ws.send(Buffer.from(text, 'utf8'));
    };
    const shell = new FakeShell(this.identity(session), send, () => ws.close());
    let authed = false;
    let buf: Buffer = Buffer.alloc(0);
    ws.on('message', (data: RawData) => {
      buf = Buffer.concat([buf, toBuffer(data)]);
      if (!authed) {
        const nl = buf.indexOf(0x0a);
        if (nl < 0) {
          if (buf.length > 4096) ws.close();
          return;
        }
        const line = buf.subarray(0, nl).toString('utf8');
        buf = buf.subarray(nl + 1);
        const sep = line.indexOf(':');
        const user = line.slice(0, sep);
        const ticket = line.slice(sep + 1);
        // PVE 8's termproxy re-verifies the pair through /access/ticket, which API tokens cannot
        // use; PVE 9's through /access/vncticket, which takes a token id as authid.
        const tokenRefused = principal.isToken && !this.state.profile.tokenConsoles;
        const ok = !tokenRefused && sep > 0 && user === session.user && ticket === session.ticket;
        if (!ok) {
          ws.close();
          return;
        }
        authed = true;
        send('OK');
        shell.start();
      }
      buf = parseTermFrames(buf, shell);
    });
  }

  private runRfb(ws: WebSocket, session: ConsoleSession, principal: Principal): void {
    const guest = session.vmid !== undefined ? this.state.guests.get(session.vmid) : undefined;
    const name = guest ? guestName(guest) : session.node;
    const screen: RfbScreen = {
      name,
      title: guest ? `${name} (${guest.type === 'qemu' ? 'VM' : 'CT'} ${guest.vmid}) on ${session.node}` : session.node,
      accent: 0x0a4f8c + ((session.vmid ?? 0) * 0x2f1b) % 0x303030,
      lines: [
        guest?.ostype.startsWith('win') ? 'Windows Server 2022' : 'Debian GNU/Linux 12',
        guest?.paused ? '[ paused ]' : '',
        `${name} login: `,
      ],
    };
    const rfb = new RfbServer({
      screen,
      send: (data) => {
        if (ws.readyState === ws.OPEN) ws.send(data);
      },
      close: () => ws.close(),
      refuse: principal.isToken && !this.state.profile.tokenConsoles ? 'authentication failed' : undefined,
    });
    ws.on('message', (data: RawData) => rfb.receive(toBuffer(data)));
    ws.on('close', () => rfb.stop());
    rfb.start();
  }
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/** Consumes every complete termproxy frame; returns what is left (a partial frame). */
export function parseTermFrames(input: Buffer, shell: FakeShell): Buffer {
  let buf = input;
  while (buf.length > 0) {
    const type = String.fromCharCode(buf[0] ?? 0);
    if (type === '2') {
      buf = buf.subarray(1);
      continue;
    }
    if (type === '0') {
      const second = buf.indexOf(0x3a, 2);
      if (second < 0) return buf;
      const len = Number(buf.subarray(2, second).toString('latin1'));
      if (!Number.isInteger(len) || len < 0) return Buffer.alloc(0);
      if (buf.length < second + 1 + len) return buf;
      shell.input(buf.subarray(second + 1, second + 1 + len).toString('utf8'));
      buf = buf.subarray(second + 1 + len);
      continue;
    }
    if (type === '1') {
      const text = buf.toString('latin1');
      const m = /^1:(\d+):(\d+):/.exec(text);
      if (!m) return text.length > 32 ? Buffer.alloc(0) : buf;
      shell.resize(Number(m[1]), Number(m[2]));
      buf = buf.subarray(m[0].length);
      continue;
    }
    // Unknown frame type: drop the byte, as termproxy ignores what it cannot parse.
    buf = buf.subarray(1);
  }
  return buf;
}
