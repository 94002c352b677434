import type WebSocket from 'ws';
import type { Clock, TimerHandle } from '../../../base/clock';
import { DataFan, EndSignal, type ConsoleSource, type OutputStream, type SourceEnd } from '../../source';
import { toBuffer, type ConsoleGrant } from './access';
import { inputFrame, KEEPALIVE_FRAME, KEEPALIVE_MS, LoginReader, loginFrame, resizeFrame } from '../../proxmox/termproxy-protocol';

export interface TermproxyOptions {
  clock: Clock;
  size: { cols: number; rows: number };
  /** What it is, for the closing words: "The shell of pve1". */
  what: string;
  keepaliveMs?: number;
}

/**
 * A node shell or container console over an open vncwebsocket, speaking termproxy: the login
 * line first, then input, resize and keep-alive frames. Input typed before the login is
 * answered is held and sent after it.
 */
export class TermproxySource implements ConsoleSource {
  private readonly fan = new DataFan();
  private readonly end = new EndSignal();
  private readonly login = new LoginReader();
  private loggedIn = false;
  private closing = false;
  private held: Buffer[] = [];
  private size: { cols: number; rows: number };
  private keepalive: TimerHandle | undefined;

  constructor(
    private readonly ws: WebSocket,
    grant: ConsoleGrant,
    private readonly options: TermproxyOptions,
  ) {
    this.size = options.size;
    ws.on('message', (data) => this.receive(toBuffer(data)));
    ws.on('error', () => undefined);
    ws.on('close', (code, reason) => this.closed(code, reason.toString('utf8')));
    ws.send(loginFrame(grant.user, grant.ticket));
    ws.resume();
  }

  write(data: Buffer): void {
    if (this.end.ended) return;
    if (!this.loggedIn) this.held.push(data);
    else this.send(inputFrame(data));
  }

  resize(cols: number, rows: number): void {
    this.size = { cols, rows };
    if (this.loggedIn) this.send(resizeFrame(cols, rows));
  }

  onData(listener: (chunk: Buffer, stream: OutputStream) => void): void {
    this.fan.on(listener);
  }

  onClose(listener: (end: SourceEnd) => void): void {
    this.end.on(listener);
  }

  pause(): void {
    this.ws.pause();
  }

  resume(): void {
    this.ws.resume();
  }

  close(): void {
    if (this.end.ended) return;
    this.closing = true;
    this.ws.close(1000);
    this.finish({ reason: 'Closed', error: false });
  }

  private receive(chunk: Buffer): void {
    if (this.loggedIn) return this.fan.emit(chunk);
    const answer = this.login.push(chunk);
    if (answer.state === 'wait') return;
    if (answer.state === 'refused') {
      this.ws.close();
      return this.finish({ reason: 'Proxmox refused the console login', error: true });
    }
    this.loggedIn = true;
    this.send(resizeFrame(this.size.cols, this.size.rows));
    for (const data of this.held.splice(0)) this.send(inputFrame(data));
    this.scheduleKeepalive();
    this.fan.emit(answer.rest);
  }

  private scheduleKeepalive(): void {
    this.keepalive = this.options.clock.setTimeout(() => {
      this.send(KEEPALIVE_FRAME);
      if (!this.end.ended) this.scheduleKeepalive();
    }, this.options.keepaliveMs ?? KEEPALIVE_MS);
  }

  private send(frame: Buffer): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(frame);
  }

  private closed(code: number, reason: string): void {
    if (this.closing) return;
    if (!this.loggedIn) return this.finish({ reason: `Proxmox refused the console login${reason ? `: ${reason}` : ''}`, error: true });
    const normal = code === 1000 || code === 1005;
    this.finish(normal ? { reason: `${this.options.what} ended`, error: false } : { reason: `The connection to Proxmox was lost (${code}${reason ? `: ${reason}` : ''})`, error: true });
  }

  private finish(end: SourceEnd): void {
    if (this.keepalive !== undefined) this.options.clock.clearTimeout(this.keepalive);
    this.keepalive = undefined;
    this.held = [];
    this.end.fire(end);
  }
}
