/**
 * The termproxy wire protocol as Proxmox's xterm.js client speaks it over the vncwebsocket:
 * first `<user>:<ticket>\n`, answered `OK`; then client frames `0:<byte length>:<data>`
 * (input), `1:<cols>:<rows>:` (resize) and `2` (keep-alive); the server sends raw output.
 */
export function loginFrame(user: string, ticket: string): Buffer {
  return Buffer.from(`${user}:${ticket}\n`, 'utf8');
}

export function inputFrame(data: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`0:${data.length}:`, 'latin1'), data]);
}

export function resizeFrame(cols: number, rows: number): Buffer {
  return Buffer.from(`1:${Math.trunc(cols)}:${Math.trunc(rows)}:`, 'latin1');
}

export const KEEPALIVE_FRAME = Buffer.from('2', 'latin1');

/** Proxmox's client sends a keep-alive every 30 s; termproxy drops a silent client. */
export const KEEPALIVE_MS = 30_000;

export type LoginAnswer = { state: 'wait' } | { state: 'ok'; rest: Buffer } | { state: 'refused' };

/** Reads the answer to the login line from the first bytes the server sends. */
export class LoginReader {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): LoginAnswer {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    if (this.buf.length < 2) return { state: 'wait' };
    if (this.buf[0] === 0x4f && this.buf[1] === 0x4b) return { state: 'ok', rest: this.buf.subarray(2) };
    return { state: 'refused' };
  }
}
