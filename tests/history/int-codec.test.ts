import { describe, expect, it } from 'vitest';
import { CodecError, decodeUnsigned, encodeUnsigned, unzigzag, zigzag } from '../../src/main/store/history/int-codec';

describe('integer text codec', () => {
  it('round-trips small, large and boundary values', () => {
    const values = [0, 1, 15, 16, 31, 32, 511, 512, 1023, 1024, 16383, 2 ** 31, 2 ** 32 + 7, 2 ** 40, Number.MAX_SAFE_INTEGER];
    expect([...decodeUnsigned(encodeUnsigned(values))]).toEqual(values);
  });

  it('round-trips signed values through zigzag', () => {
    const signed = [0, -1, 1, -(2 ** 40), 2 ** 40, -12345, 98765];
    const text = encodeUnsigned(signed.map(zigzag));
    expect([...decodeUnsigned(text)].map(unzigzag)).toEqual(signed);
  });

  it('is compact: one character up to 31, and JSON needs no escaping', () => {
    const text = encodeUnsigned(Array.from({ length: 32 }, (_, i) => i));
    expect(text).toHaveLength(32);
    expect(JSON.stringify(text)).toBe(`"${text}"`);
  });

  it('refuses what it cannot encode or decode', () => {
    expect(() => encodeUnsigned([-1])).toThrow(CodecError);
    expect(() => encodeUnsigned([1.5])).toThrow(CodecError);
    expect(() => decodeUnsigned('AB*')).toThrow(/bad character/);
    expect(() => decodeUnsigned('g')).toThrow(/middle of a value/); // continuation without an end
    expect(() => decodeUnsigned('g'.repeat(20) + 'A')).toThrow(/too large/);
  });
});
