/**
 * A minimal RFB 3.8 server for QEMU/LXC vncproxy consoles: version handshake, security type
 * None (the vncticket was checked when the websocket opened), ServerInit with a 640x400
 * true-colour framebuffer, and Raw-encoded updates of a drawn console showing the guest's name
 * with a blinking cursor. Typed keys are echoed on the login line.
 */

export interface RfbScreen {
  /** Desktop name sent in ServerInit. */
  name: string;
  title: string;
  lines: readonly string[];
  /** Accent colour of the title bar, 0xRRGGBB. */
  accent: number;
}

export interface RfbOptions {
  screen: RfbScreen;
  send(data: Buffer): void;
  close(): void;
  /** When set, the security handshake fails with this reason (e.g. token sessions). */
  refuse?: string;
  blinkMs?: number;
}

export const RFB_WIDTH = 640;
export const RFB_HEIGHT = 400;

// 5x7 glyphs, one 5-bit row per entry (bit 4 = leftmost pixel). Lower case renders as upper case.
const FONT: Readonly<Record<string, readonly number[]>> = {
  A: [0x0e, 0x11, 0x11, 0x1f, 0x11, 0x11, 0x11], B: [0x1e, 0x11, 0x11, 0x1e, 0x11, 0x11, 0x1e],
  C: [0x0e, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0e], D: [0x1c, 0x12, 0x11, 0x11, 0x11, 0x12, 0x1c],
  E: [0x1f, 0x10, 0x10, 0x1e, 0x10, 0x10, 0x1f], F: [0x1f, 0x10, 0x10, 0x1e, 0x10, 0x10, 0x10],
  G: [0x0e, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0f], H: [0x11, 0x11, 0x11, 0x1f, 0x11, 0x11, 0x11],
  I: [0x0e, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0e], J: [0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0c],
  K: [0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11], L: [0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1f],
  M: [0x11, 0x1b, 0x15, 0x15, 0x11, 0x11, 0x11], N: [0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11],
  O: [0x0e, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0e], P: [0x1e, 0x11, 0x11, 0x1e, 0x10, 0x10, 0x10],
  Q: [0x0e, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0d], R: [0x1e, 0x11, 0x11, 0x1e, 0x14, 0x12, 0x11],
  S: [0x0f, 0x10, 0x10, 0x0e, 0x01, 0x01, 0x1e], T: [0x1f, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04],
  U: [0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0e], V: [0x11, 0x11, 0x11, 0x11, 0x11, 0x0a, 0x04],
  W: [0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0a], X: [0x11, 0x11, 0x0a, 0x04, 0x0a, 0x11, 0x11],
  Y: [0x11, 0x11, 0x11, 0x0a, 0x04, 0x04, 0x04], Z: [0x1f, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1f],
  '0': [0x0e, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0e], '1': [0x04, 0x0c, 0x04, 0x04, 0x04, 0x04, 0x0e],
  '2': [0x0e, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1f], '3': [0x1f, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0e],
  '4': [0x02, 0x06, 0x0a, 0x12, 0x1f, 0x02, 0x02], '5': [0x1f, 0x10, 0x1e, 0x01, 0x01, 0x11, 0x0e],
  '6': [0x06, 0x08, 0x10, 0x1e, 0x11, 0x11, 0x0e], '7': [0x1f, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08],
  '8': [0x0e, 0x11, 0x11, 0x0e, 0x11, 0x11, 0x0e], '9': [0x0e, 0x11, 0x11, 0x0f, 0x01, 0x02, 0x0c],
  '-': [0, 0, 0, 0x1f, 0, 0, 0], '.': [0, 0, 0, 0, 0, 0x0c, 0x0c], ':': [0, 0x0c, 0x0c, 0, 0x0c, 0x0c, 0],
  _: [0, 0, 0, 0, 0, 0, 0x1f], '/': [0, 0x01, 0x02, 0x04, 0x08, 0x10, 0], '@': [0x0e, 0x11, 0x01, 0x0d, 0x15, 0x15, 0x0e],
  '(': [0x02, 0x04, 0x08, 0x08, 0x08, 0x04, 0x02], ')': [0x08, 0x04, 0x02, 0x02, 0x02, 0x04, 0x08],
  '#': [0x0a, 0x0a, 0x1f, 0x0a, 0x1f, 0x0a, 0x0a], ',': [0, 0, 0, 0, 0x0c, 0x04, 0x08],
  '=': [0, 0, 0x1f, 0, 0x1f, 0, 0], '!': [0x04, 0x04, 0x04, 0x04, 0x04, 0, 0x04],
  '?': [0x0e, 0x11, 0x01, 0x02, 0x04, 0, 0x04], '+': [0, 0x04, 0x04, 0x1f, 0x04, 0x04, 0],
  '[': [0x0e, 0x08, 0x08, 0x08, 0x08, 0x08, 0x0e], ']': [0x0e, 0x02, 0x02, 0x02, 0x02, 0x02, 0x0e],
  "'": [0x0c, 0x04, 0x08, 0, 0, 0, 0], '>': [0x10, 0x08, 0x04, 0x02, 0x04, 0x08, 0x10],
  '<': [0x01, 0x02, 0x04, 0x08, 0x04, 0x02, 0x01], '*': [0, 0x04, 0x15, 0x0e, 0x15, 0x04, 0],
  '~': [0, 0, 0x08, 0x15, 0x02, 0, 0],
};

const SCALE = 2;
const CELL_W = 6 * SCALE;
const CELL_H = 10 * SCALE;
const TITLE_H = 28;
const TEXT_TOP = TITLE_H + 12;
const MARGIN = 10;
const BG = 0x101418;
const FG = 0xc8d0d8;

interface PixelFormat {
  bpp: number;
  bigEndian: boolean;
  redMax: number;
  greenMax: number;
  blueMax: number;
  redShift: number;
  greenShift: number;
  blueShift: number;
}

const DEFAULT_FORMAT: PixelFormat = {
  bpp: 32, bigEndian: false, redMax: 255, greenMax: 255, blueMax: 255, redShift: 16, greenShift: 8, blueShift: 0,
};

interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The framebuffer: 0xRRGGBB per pixel, drawn once and patched for the cursor and typing. */
class Canvas {
  readonly pixels = new Uint32Array(RFB_WIDTH * RFB_HEIGHT);

  fill(r: Rect, color: number): void {
    for (let y = r.y; y < Math.min(RFB_HEIGHT, r.y + r.h); y++) {
      this.pixels.fill(color, y * RFB_WIDTH + r.x, y * RFB_WIDTH + Math.min(RFB_WIDTH, r.x + r.w));
    }
  }

  text(x: number, y: number, text: string, color: number): void {
    let cx = x;
    for (const ch of text.toUpperCase()) {
      const glyph = FONT[ch] ?? (ch === ' ' ? undefined : FONT['?']);
      if (glyph) {
        glyph.forEach((row, gy) => {
          for (let gx = 0; gx < 5; gx++) {
            if (row & (0x10 >> gx)) this.fill({ x: cx + gx * SCALE, y: y + gy * SCALE, w: SCALE, h: SCALE }, color);
          }
        });
      }
      cx += CELL_W;
      if (cx + CELL_W > RFB_WIDTH) break;
    }
  }
}

export class RfbServer {
  private buf: Buffer = Buffer.alloc(0);
  private phase: 'version' | 'security' | 'init' | 'normal' | 'closed' = 'version';
  private format: PixelFormat = DEFAULT_FORMAT;
  private readonly canvas = new Canvas();
  private pendingRequest = false;
  private dirty: Rect[] = [];
  private cursorOn = true;
  private typed = '';
  private blink: NodeJS.Timeout | undefined;
  private readonly loginRow: number;

  constructor(private readonly opts: RfbOptions) {
    this.loginRow = opts.screen.lines.length - 1;
    this.draw();
  }

  start(): void {
    this.opts.send(Buffer.from('RFB 003.008\n', 'latin1'));
  }

  stop(): void {
    this.phase = 'closed';
    if (this.blink) clearInterval(this.blink);
    this.blink = undefined;
  }

  /** A method, not a field test: step() may close the session in the middle of a loop. */
  private isClosed(): boolean {
    return this.phase === 'closed';
  }

  receive(chunk: Buffer): void {
    if (this.phase === 'closed') return;
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    for (;;) {
      const used = this.step();
      if (used === 0) return;
      this.buf = this.buf.subarray(used);
      if (this.isClosed()) return;
    }
  }

  /** Consumes one complete client message; returns the bytes used, 0 when more are needed. */
  private step(): number {
    const b = this.buf;
    if (b.length === 0) return 0;
    switch (this.phase) {
      case 'version': {
        if (b.length < 12) return 0;
        if (!b.subarray(0, 4).equals(Buffer.from('RFB '))) return this.fail();
        if (this.opts.refuse !== undefined) {
          const reason = Buffer.from(this.opts.refuse);
          const msg = Buffer.alloc(5);
          msg.writeUInt8(0, 0);
          msg.writeUInt32BE(reason.length, 1);
          this.opts.send(Buffer.concat([msg, reason]));
          this.finish();
          return 12;
        }
        this.opts.send(Buffer.from([1, 1]));
        this.phase = 'security';
        return 12;
      }
      case 'security': {
        if (b.length < 1) return 0;
        if (b[0] !== 1) return this.fail();
        this.opts.send(Buffer.from([0, 0, 0, 0]));
        this.phase = 'init';
        return 1;
      }
      case 'init': {
        if (b.length < 1) return 0;
        this.opts.send(this.serverInit());
        this.phase = 'normal';
        this.blink = setInterval(() => this.toggleCursor(), this.opts.blinkMs ?? 500);
        this.blink.unref?.();
        return 1;
      }
      case 'normal':
        return this.message(b);
      default:
        return 0;
    }
  }

  private message(b: Buffer): number {
    const type = b[0];
    switch (type) {
      case 0: // SetPixelFormat
        if (b.length < 20) return 0;
        this.setPixelFormat(b.subarray(4, 20));
        return 20;
      case 2: {
        // SetEncodings: only Raw is ever sent, which every client accepts.
        if (b.length < 4) return 0;
        const need = 4 + 4 * b.readUInt16BE(2);
        return b.length < need ? 0 : need;
      }
      case 3: {
        if (b.length < 10) return 0;
        const incremental = b[1] === 1;
        if (!incremental) this.sendRects([{ x: 0, y: 0, w: RFB_WIDTH, h: RFB_HEIGHT }]);
        else if (this.dirty.length > 0) this.flush();
        else this.pendingRequest = true;
        return 10;
      }
      case 4: {
        if (b.length < 8) return 0;
        if (b[1] === 1) this.key(b.readUInt32BE(4));
        return 8;
      }
      case 5:
        return b.length < 6 ? 0 : 6;
      case 6: {
        if (b.length < 8) return 0;
        const need = 8 + b.readUInt32BE(4);
        return b.length < need ? 0 : need;
      }
      default:
        return this.fail();
    }
  }

  private serverInit(): Buffer {
    const name = Buffer.from(this.opts.screen.name, 'utf8');
    const out = Buffer.alloc(24 + name.length);
    out.writeUInt16BE(RFB_WIDTH, 0);
    out.writeUInt16BE(RFB_HEIGHT, 2);
    const f = DEFAULT_FORMAT;
    out.writeUInt8(f.bpp, 4);
    out.writeUInt8(24, 5);
    out.writeUInt8(f.bigEndian ? 1 : 0, 6);
    out.writeUInt8(1, 7);
    out.writeUInt16BE(f.redMax, 8);
    out.writeUInt16BE(f.greenMax, 10);
    out.writeUInt16BE(f.blueMax, 12);
    out.writeUInt8(f.redShift, 14);
    out.writeUInt8(f.greenShift, 15);
    out.writeUInt8(f.blueShift, 16);
    out.writeUInt32BE(name.length, 20);
    name.copy(out, 24);
    return out;
  }

  private setPixelFormat(p: Buffer): void {
    const bpp = p.readUInt8(0);
    if (![8, 16, 32].includes(bpp) || p.readUInt8(3) !== 1) {
      // Colour-map formats are not offered by any current client; treat as a protocol error.
      this.fail();
      return;
    }
    this.format = {
      bpp,
      bigEndian: p.readUInt8(2) === 1,
      redMax: p.readUInt16BE(4),
      greenMax: p.readUInt16BE(6),
      blueMax: p.readUInt16BE(8),
      redShift: p.readUInt8(10),
      greenShift: p.readUInt8(11),
      blueShift: p.readUInt8(12),
    };
  }

  private sendRects(rects: readonly Rect[]): void {
    const bytes = this.format.bpp / 8;
    let size = 4;
    for (const r of rects) size += 12 + r.w * r.h * bytes;
    const out = Buffer.alloc(size);
    out.writeUInt8(0, 0);
    out.writeUInt16BE(rects.length, 2);
    let o = 4;
    const f = this.format;
    for (const r of rects) {
      out.writeUInt16BE(r.x, o);
      out.writeUInt16BE(r.y, o + 2);
      out.writeUInt16BE(r.w, o + 4);
      out.writeUInt16BE(r.h, o + 6);
      out.writeInt32BE(0, o + 8);
      o += 12;
      for (let y = r.y; y < r.y + r.h; y++) {
        for (let x = r.x; x < r.x + r.w; x++) {
          const rgb = this.canvas.pixels[y * RFB_WIDTH + x] ?? 0;
          const v =
            ((Math.round((((rgb >>> 16) & 0xff) * f.redMax) / 255) << f.redShift) |
              (Math.round((((rgb >>> 8) & 0xff) * f.greenMax) / 255) << f.greenShift) |
              (Math.round(((rgb & 0xff) * f.blueMax) / 255) << f.blueShift)) >>>
            0;
          if (bytes === 4) {
            if (f.bigEndian) out.writeUInt32BE(v, o);
            else out.writeUInt32LE(v, o);
          } else if (bytes === 2) {
            if (f.bigEndian) out.writeUInt16BE(v & 0xffff, o);
            else out.writeUInt16LE(v & 0xffff, o);
          } else out.writeUInt8(v & 0xff, o);
          o += bytes;
        }
      }
    }
    this.opts.send(out);
  }

  private flush(): void {
    const rects = this.dirty;
    this.dirty = [];
    this.pendingRequest = false;
    this.sendRects(rects);
  }

  private markDirty(r: Rect): void {
    this.dirty.push(r);
    if (this.pendingRequest) this.flush();
  }

  private rowY(row: number): number {
    return TEXT_TOP + row * CELL_H;
  }

  private loginLine(): string {
    return (this.opts.screen.lines[this.loginRow] ?? '') + this.typed;
  }

  private cursorRect(): Rect {
    const col = this.loginLine().length;
    return { x: MARGIN + col * CELL_W, y: this.rowY(this.loginRow), w: CELL_W - SCALE, h: 7 * SCALE };
  }

  private draw(): void {
    const { screen } = this.opts;
    this.canvas.fill({ x: 0, y: 0, w: RFB_WIDTH, h: RFB_HEIGHT }, BG);
    this.canvas.fill({ x: 0, y: 0, w: RFB_WIDTH, h: TITLE_H }, screen.accent);
    this.canvas.text(MARGIN, 7, screen.title, 0xffffff);
    screen.lines.forEach((line, row) => this.canvas.text(MARGIN, this.rowY(row), line, FG));
    this.canvas.fill(this.cursorRect(), FG);
  }

  private redrawLoginLine(): void {
    const rect = { x: 0, y: this.rowY(this.loginRow), w: RFB_WIDTH, h: CELL_H };
    this.canvas.fill(rect, BG);
    this.canvas.text(MARGIN, rect.y, this.loginLine(), FG);
    if (this.cursorOn) this.canvas.fill(this.cursorRect(), FG);
    this.markDirty(rect);
  }

  private toggleCursor(): void {
    this.cursorOn = !this.cursorOn;
    const r = this.cursorRect();
    this.canvas.fill(r, this.cursorOn ? FG : BG);
    this.markDirty(r);
  }

  private key(keysym: number): void {
    if (keysym === 0xff08) this.typed = this.typed.slice(0, -1);
    else if (keysym === 0xff0d) this.typed = '';
    else if (keysym >= 0x20 && keysym <= 0x7e) this.typed += String.fromCharCode(keysym);
    else return;
    this.redrawLoginLine();
  }

  /** RFB has no error message after the handshake: the server just closes. */
  private fail(): number {
    this.finish();
    return this.buf.length;
  }

  private finish(): void {
    this.stop();
    this.opts.close();
  }
}
