// Draws Rackdeck's icons (a rack glyph: three rack units, each with a status LED) with plain
// JavaScript and writes them as PNG through node:zlib, so no image tool or package is needed.
// `node scripts/make-icons.mjs` rewrites assets/icons/*.png and assets/tray/*.png; the outputs
// are committed, so run it only when the drawing changes.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));

// ---------------------------------------------------------------- PNG encoding

const CRC_TABLE = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** RGBA, 8 bits per channel, no interlace; every row with filter type 0. */
function encodePng(width, height, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type: truecolour with alpha
  const raw = Buffer.alloc(height * (1 + width * 4));
  for (let y = 0; y < height; y++) {
    raw[y * (1 + width * 4)] = 0;
    rgba.copy(raw, y * (1 + width * 4) + 1, y * width * 4, (y + 1) * width * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---------------------------------------------------------------- drawing

/** A float RGBA canvas in unit coordinates (0..1 both ways), shapes antialiased by supersampling. */
function canvas(size) {
  const px = new Float64Array(size * size * 4);
  const S = 4; // 4×4 samples per pixel
  /** Paints `colour` (r,g,b in 0..255, a in 0..1) where `inside(x, y)` holds, by coverage. */
  function fill(inside, colour, mode = 'over') {
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        let hits = 0;
        for (let sy = 0; sy < S; sy++) {
          for (let sx = 0; sx < S; sx++) if (inside((x + (sx + 0.5) / S) / size, (y + (sy + 0.5) / S) / size)) hits++;
        }
        if (!hits) continue;
        const cover = hits / (S * S);
        const i = (y * size + x) * 4;
        const c = typeof colour === 'function' ? colour(x / size, y / size) : colour;
        if (mode === 'clear') {
          px[i + 3] *= 1 - cover;
          continue;
        }
        const a = c[3] * cover;
        const outA = a + px[i + 3] * (1 - a);
        for (let k = 0; k < 3; k++) px[i + k] = outA ? (c[k] * a + px[i + k] * px[i + 3] * (1 - a)) / outA : 0;
        px[i + 3] = outA;
      }
    }
  }
  function toBuffer() {
    const out = Buffer.alloc(size * size * 4);
    for (let i = 0; i < px.length; i += 4) {
      for (let k = 0; k < 3; k++) out[i + k] = Math.round(Math.min(255, Math.max(0, px[i + k])));
      out[i + 3] = Math.round(Math.min(1, Math.max(0, px[i + 3])) * 255);
    }
    return out;
  }
  return { fill, toBuffer, size };
}

const roundRect = (x0, y0, x1, y1, r) => (x, y) => {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};
const circle = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;

/** The three rack units, in a box from (x0, y0) to (x1, y1). */
function rackUnits(x0, y0, x1, y1) {
  const h = y1 - y0;
  const gap = h * 0.1;
  const unit = (h - 2 * gap) / 3;
  return [0, 1, 2].map((i) => {
    const top = y0 + i * (unit + gap);
    return { x0, y0: top, x1, y1: top + unit, led: { cx: x1 - (x1 - x0) * 0.16, cy: top + unit / 2, r: unit * 0.22 } };
  });
}

const hex = (h, a = 1) => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16), a];

function appIcon(size) {
  const c = canvas(size);
  const top = hex('#27476f');
  const bottom = hex('#0e1a2b');
  const gradient = (_x, y) => top.map((v, k) => (k === 3 ? 1 : v + (bottom[k] - v) * y));
  c.fill(roundRect(0.04, 0.04, 0.96, 0.96, 0.2), gradient);
  const leds = [hex('#3fd17a'), hex('#3fd17a'), hex('#f2b134')];
  rackUnits(0.2, 0.22, 0.8, 0.78).forEach((u, i) => {
    c.fill(roundRect(u.x0, u.y0, u.x1, u.y1, 0.03), hex('#e3e9f0'));
    // Drive bays: two darker slots on the left of each unit.
    for (let s = 0; s < 2; s++) {
      const sx = u.x0 + 0.05 + s * 0.13;
      c.fill(roundRect(sx, u.y0 + (u.y1 - u.y0) * 0.3, sx + 0.1, u.y1 - (u.y1 - u.y0) * 0.3, 0.01), hex('#9aa8b8'));
    }
    c.fill(circle(u.led.cx, u.led.cy, u.led.r * 1.25), hex('#0e1a2b'));
    c.fill(circle(u.led.cx, u.led.cy, u.led.r), leds[i]);
  });
  return c;
}

/**
 * The tray glyph per overall state. Template images (macOS) are black with alpha only, so the
 * state is told by shape: no badge when all is well, a solid badge when something is down, a
 * ring while something is changing, a faded rack when there is nothing to watch. The coloured
 * images (Windows, Linux) add colour to the same shapes.
 */
const STATE_COLOURS = { ok: '#2fbf6a', down: '#e5484d', busy: '#f2a900', idle: '#8b96a5' };

function trayIcon(size, state, template) {
  const c = canvas(size);
  const glyph = template ? hex('#000000', state === 'idle' ? 0.45 : 1) : hex('#8b96a5');
  const units = rackUnits(0.06, 0.08, 0.82, 0.84);
  for (const u of units) {
    c.fill(roundRect(u.x0, u.y0, u.x1, u.y1, 0.04), glyph);
    c.fill(circle(u.led.cx, u.led.cy, u.led.r * 1.15), [0, 0, 0, 1], 'clear');
  }
  if (!template && state !== 'idle') {
    for (const u of units) c.fill(circle(u.led.cx, u.led.cy, u.led.r * 1.15), hex(STATE_COLOURS[state]));
  }
  if (state === 'down' || state === 'busy') {
    const badge = { cx: 0.76, cy: 0.76, r: 0.24 };
    c.fill(circle(badge.cx, badge.cy, badge.r + 0.08), [0, 0, 0, 1], 'clear');
    const colour = template ? hex('#000000') : hex(STATE_COLOURS[state]);
    c.fill(circle(badge.cx, badge.cy, badge.r), colour);
    if (state === 'busy') c.fill(circle(badge.cx, badge.cy, badge.r * 0.5), [0, 0, 0, 1], 'clear');
  }
  return c;
}

// ---------------------------------------------------------------- output

function write(rel, c) {
  const file = path.join(root, 'assets', rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, encodePng(c.size, c.size, c.toBuffer()));
  return rel;
}

const written = [];
for (const size of [512, 256]) written.push(write(`icons/${size}x${size}.png`, appIcon(size)));
for (const state of ['ok', 'down', 'busy', 'idle']) {
  for (const template of [false, true]) {
    const base = `tray/${state}${template ? 'Template' : ''}`;
    written.push(write(`${base}.png`, trayIcon(16, state, template)));
    written.push(write(`${base}@2x.png`, trayIcon(32, state, template)));
  }
}
console.log(`wrote ${written.length} icons under assets/: ${written.join(', ')}`);
