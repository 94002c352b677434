import { ParseError } from './parse-error';

/** Input is untrusted: a string, not too big (a hostile host could stream megabytes), split into lines. */
export function linesOf(source: string, input: unknown, maxBytes = 4 * 1024 * 1024): string[] {
  if (typeof input !== 'string') throw new ParseError(source, `expected text, got ${input === null ? 'null' : typeof input}`);
  if (input.length > maxBytes) throw new ParseError(source, `input is ${input.length} characters, more than the ${maxBytes} accepted`);
  if (input.includes('\0')) throw new ParseError(source, 'input contains NUL bytes');
  return input.split(/\r?\n/);
}

/** A non-negative decimal integer that a double holds exactly; anything else is an error. */
export function counter(source: string, token: string | undefined, what: string, line?: number): number {
  if (token === undefined || !/^\d{1,16}$/.test(token)) throw new ParseError(source, `${what} is not a whole number`, line, token ?? '');
  const value = Number(token);
  if (!Number.isSafeInteger(value)) throw new ParseError(source, `${what} is too large`, line, token);
  return value;
}

/** A non-negative decimal like `0.42` or `12345.67`. */
export function decimal(source: string, token: string | undefined, what: string, line?: number): number {
  if (token === undefined || !/^\d{1,16}(?:\.\d{1,16})?$/.test(token)) throw new ParseError(source, `${what} is not a decimal number`, line, token ?? '');
  return Number(token);
}
