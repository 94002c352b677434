import type WebSocket from 'ws';
import { DataFan, EndSignal, type ConsoleSource, type OutputStream, type SourceEnd } from '../../source';
import { toBuffer } from './access';
import { RfbGate } from '../../proxmox/rfb-gate';

/**
 * A QEMU screen over an open vncwebsocket: the RFB gate does the security handshake with the
 * ticket, then bytes are relayed raw between the VNC server and the window's noVNC.
 */
export class VncRelaySource implements ConsoleSource {
  private readonly fan = new DataFan();
  private readonly end = new EndSignal();
  private readonly gate: RfbGate;
  private closing = false;

  constructor(
    private readonly ws: WebSocket,
    password: string | undefined,
    private readonly what: string,
  ) {
    this.gate = new RfbGate(
      {
        toServer: (data) => {
          if (ws.readyState === ws.OPEN) ws.send(data);
        },
        toClient: (data) => this.fan.emit(data),
        fail: (reason) => {
          ws.close();
          this.end.fire({ reason: capitalise(reason), error: true });
        },
      },
      password,
    );
    ws.on('message', (data) => this.gate.fromServer(toBuffer(data)));
    ws.on('error', () => undefined);
    ws.on('close', (code, reason) => {
      if (this.closing) return;
      const normal = code === 1000 || code === 1005;
      const text = reason.toString('utf8');
      this.end.fire(normal ? { reason: `${this.what} ended`, error: false } : { reason: `The connection to Proxmox was lost (${code}${text ? `: ${text}` : ''})`, error: true });
    });
    ws.resume();
  }

  write(data: Buffer): void {
    if (!this.end.ended) this.gate.fromClient(data);
  }

  resize(): void {
    // The screen size is the VM's; noVNC scales it locally.
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
    this.end.fire({ reason: 'Closed', error: false });
  }
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
