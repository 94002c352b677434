import { vncAuthResponse } from './vnc-auth';

/**
 * Stands between noVNC in the window and the VNC server behind Proxmox's vncwebsocket, and
 * does the RFB 3.8 security handshake on both sides itself: main answers the server's VNC
 * authentication with the ticket, and offers the window security type None. So the window gets
 * a plain RFB stream from ServerInit on and never sees the ticket. After the handshake every
 * byte passes through untouched.
 *
 *   server ──version──▶ gate ──version──▶ server          (upstream: 3.8 only)
 *   server ──types────▶ gate ──None|VncAuth──▶ server
 *   server ──challenge▶ gate ──DES(ticket)──▶ server       (VncAuth only)
 *   server ──result 0─▶ gate ──version──▶ window           (downstream starts once upstream is in)
 *   window ──version──▶ gate ──[1, None]──▶ window
 *   window ──None─────▶ gate ──result 0──▶ window
 *   then: window ⇄ server, raw (ClientInit, ServerInit, updates…)
 */
export interface RfbGateIo {
  toServer(data: Buffer): void;
  toClient(data: Buffer): void;
  /** The handshake failed; `reason` is for the admin. */
  fail(reason: string): void;
}

type UpPhase = 'version' | 'types' | 'challenge' | 'result' | 'reason' | 'open' | 'failed';
type DownPhase = 'idle' | 'version' | 'choice' | 'open';

const VERSION_38 = Buffer.from('RFB 003.008\n', 'latin1');
const SEC_NONE = 1;
const SEC_VNC = 2;

export class RfbGate {
  private up: UpPhase = 'version';
  private down: DownPhase = 'idle';
  private upBuf: Buffer = Buffer.alloc(0);
  private downBuf: Buffer = Buffer.alloc(0);
  private chosen = 0;

  constructor(
    private readonly io: RfbGateIo,
    /** VNC password (Proxmox: the vncticket); absent means only type None can be used. */
    private readonly password: string | undefined,
  ) {}

  get open(): boolean {
    return this.up === 'open' && this.down === 'open';
  }

  fromServer(chunk: Buffer): void {
    if (this.up === 'failed') return;
    if (this.up === 'open' && this.down === 'open') return this.io.toClient(chunk);
    this.upBuf = this.upBuf.length === 0 ? chunk : Buffer.concat([this.upBuf, chunk]);
    while (this.stepUp());
  }

  fromClient(chunk: Buffer): void {
    if (this.up === 'failed') return;
    if (this.down === 'open') return this.io.toServer(chunk);
    this.downBuf = this.downBuf.length === 0 ? chunk : Buffer.concat([this.downBuf, chunk]);
    while (this.stepDown());
  }

  /** One step of the server side; true when it consumed something and may go on. */
  private stepUp(): boolean {
    const b = this.upBuf;
    switch (this.up) {
      case 'version': {
        if (b.length < 12) return false;
        const m = /^RFB (\d{3})\.(\d{3})\n$/.exec(b.subarray(0, 12).toString('latin1'));
        if (!m) return this.failWith('the VNC server did not start with an RFB version');
        const [major, minor] = [Number(m[1]), Number(m[2])];
        if (major < 3 || (major === 3 && minor < 8)) return this.failWith(`the VNC server speaks RFB ${major}.${minor}; 3.8 is needed`);
        this.consumeUp(12);
        this.io.toServer(VERSION_38);
        this.up = 'types';
        return true;
      }
      case 'types': {
        if (b.length < 1) return false;
        const n = b[0] ?? 0;
        if (n === 0) {
          this.consumeUp(1);
          this.up = 'reason';
          return true;
        }
        if (b.length < 1 + n) return false;
        const types = [...b.subarray(1, 1 + n)];
        this.consumeUp(1 + n);
        if (types.includes(SEC_NONE)) this.chosen = SEC_NONE;
        else if (types.includes(SEC_VNC) && this.password !== undefined) this.chosen = SEC_VNC;
        else return this.failWith(`the VNC server offers no security type Rackdeck can answer (offered: ${types.join(', ')})`);
        this.io.toServer(Buffer.from([this.chosen]));
        this.up = this.chosen === SEC_VNC ? 'challenge' : 'result';
        return true;
      }
      case 'challenge': {
        if (b.length < 16) return false;
        const challenge = b.subarray(0, 16);
        this.consumeUp(16);
        this.io.toServer(vncAuthResponse(this.password ?? '', challenge));
        this.up = 'result';
        return true;
      }
      case 'result': {
        if (b.length < 4) return false;
        const status = b.readUInt32BE(0);
        this.consumeUp(4);
        if (status !== 0) {
          this.up = 'reason';
          return true;
        }
        this.up = 'open';
        // The server is in: now the window's side of the handshake may start.
        this.down = 'version';
        this.io.toClient(VERSION_38);
        // A window that answered early is taken up now; whatever the server sent past the
        // result waits in upBuf until the window's side is open.
        while (this.stepDown());
        return false;
      }
      case 'reason': {
        if (b.length < 4) return false;
        const len = b.readUInt32BE(0);
        if (len > 4096) return this.failWith('the VNC server refused the connection');
        if (b.length < 4 + len) return false;
        const text = b.subarray(4, 4 + len).toString('utf8');
        return this.failWith(`the VNC server refused the connection: ${text || 'no reason given'}`);
      }
      default:
        return false;
    }
  }

  private stepDown(): boolean {
    const b = this.downBuf;
    switch (this.down) {
      case 'idle':
        // The window spoke before it was spoken to; keep it for later.
        return false;
      case 'version': {
        if (b.length < 12) return false;
        if (!/^RFB 003\.00[378]\n$/.test(b.subarray(0, 12).toString('latin1'))) return this.failWith('the viewer did not answer with an RFB version');
        this.consumeDown(12);
        this.io.toClient(Buffer.from([1, SEC_NONE]));
        this.down = 'choice';
        return true;
      }
      case 'choice': {
        if (b.length < 1) return false;
        if (b[0] !== SEC_NONE) return this.failWith('the viewer chose a security type that was not offered');
        this.consumeDown(1);
        this.io.toClient(Buffer.from([0, 0, 0, 0]));
        this.down = 'open';
        // From here on both directions pass through; flush what each side sent early.
        const toServer = this.downBuf;
        const toClient = this.upBuf;
        this.downBuf = Buffer.alloc(0);
        this.upBuf = Buffer.alloc(0);
        if (toServer.length) this.io.toServer(toServer);
        if (toClient.length) this.io.toClient(toClient);
        return false;
      }
      default:
        return false;
    }
  }

  private consumeUp(n: number): void {
    this.upBuf = this.upBuf.subarray(n);
  }

  private consumeDown(n: number): void {
    this.downBuf = this.downBuf.subarray(n);
  }

  private failWith(reason: string): boolean {
    this.up = 'failed';
    this.upBuf = Buffer.alloc(0);
    this.downBuf = Buffer.alloc(0);
    this.io.fail(reason);
    return false;
  }
}
