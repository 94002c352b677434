/**
 * Integers as compact text, for JSON files: zig-zag (sign into the low bit), then 5 bits per
 * character, low bits first, with a continuation flag — the idea of Google's polyline encoding,
 * over the URL-safe base64 alphabet so nothing needs escaping inside a JSON string. Values
 * up to ±15 take one character, ±511 two, ±16383 three. The whole safe-integer range works
 * (byte counts and rates exceed 32 bits); bit operators are used only below 2^31.
 *
 * Written for speed: a full flush of a big lab encodes tens of millions of values, so text is
 * built in a byte buffer and turned into a string once.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const CODES = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
const INDEX = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) INDEX[ALPHABET.charCodeAt(i)] = i;

export class CodecError extends Error {
  override name = 'CodecError';
}

export const zigzag = (v: number): number => (v >= 0 ? v * 2 : -v * 2 - 1);
export const unzigzag = (u: number): number => (u % 2 === 0 ? u / 2 : -(u + 1) / 2);

/** Collects encoded values; `text()` returns them as one string. Reusable after `text()`. */
export class IntWriter {
  private buf = new Uint8Array(4096);
  private n = 0;

  /** Appends a non-negative safe integer. */
  push(value: number): void {
    if (this.n + 11 > this.buf.length) this.grow();
    const buf = this.buf;
    let v = value;
    if (v >= 0 && v < 0x80000000 && (v | 0) === v) {
      while (v >= 32) {
        buf[this.n++] = CODES[(v & 31) | 32] as number;
        v >>>= 5;
      }
      buf[this.n++] = CODES[v] as number;
      return;
    }
    if (!Number.isSafeInteger(v) || v < 0) throw new CodecError(`cannot encode ${value}: not a non-negative safe integer`);
    while (v >= 32) {
      buf[this.n++] = CODES[(v % 32) + 32] as number;
      v = Math.floor(v / 32);
    }
    buf[this.n++] = CODES[v] as number;
  }

  text(): string {
    const s = Buffer.from(this.buf.buffer, this.buf.byteOffset, this.n).toString('latin1');
    this.n = 0;
    return s;
  }

  private grow(): void {
    const next = new Uint8Array(this.buf.length * 2);
    next.set(this.buf.subarray(0, this.n));
    this.buf = next;
  }
}

export function encodeUnsigned(values: ArrayLike<number>): string {
  const w = new IntWriter();
  for (let i = 0; i < values.length; i++) w.push(values[i] as number);
  return w.text();
}

/** Decodes every value; throws on a foreign character, a value past 2^53 or a value cut short. */
export function decodeUnsigned(text: string): Float64Array {
  if (typeof text !== 'string') throw new CodecError('encoded column is not a string');
  const out = new Float64Array(text.length);
  let count = 0;
  let value = 0;
  let scale = 1;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const digit = code < 128 ? (INDEX[code] as number) : -1;
    if (digit < 0) throw new CodecError(`bad character ${JSON.stringify(text[i])} at ${i}`);
    if (digit >= 32) {
      value += (digit - 32) * scale;
      scale *= 32;
      if (scale > 2 ** 53) throw new CodecError(`value too large at ${i}`);
    } else {
      value += digit * scale;
      if (value > Number.MAX_SAFE_INTEGER) throw new CodecError(`value too large at ${i}`);
      out[count++] = value;
      value = 0;
      scale = 1;
    }
  }
  if (scale !== 1) throw new CodecError('encoded column ends in the middle of a value');
  return out.subarray(0, count);
}
