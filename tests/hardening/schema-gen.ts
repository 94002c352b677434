/**
 * Requests for the contract fuzz, made from each channel's own zod schema: values of the right
 * shape (strings from a pool of ids, prototype names and loopback addresses), and the same with
 * one thing wrong. A seeded generator, so a failure can be run again.
 */
import type * as z from 'zod';

/** The names every suite tries as ids and keys: they are properties of every plain object. */
export const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype', '__defineGetter__'] as const;

export class Rng {
  constructor(private state: number) {}
  next(): number {
    // mulberry32
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  options?: z.ZodType[];
  innerType?: z.ZodType;
  in?: z.ZodType;
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  entries?: Record<string, string | number>;
  values?: unknown[];
  items?: z.ZodType[];
  left?: z.ZodType;
  right?: z.ZodType;
  getter?: () => z.ZodType;
  checks?: { _zod: { def: { check: string; minimum?: number; maximum?: number; value?: number; format?: string; pattern?: RegExp } } }[];
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

function bounds(def: Def): { min?: number; max?: number; int: boolean; pattern?: RegExp } {
  const out: { min?: number; max?: number; int: boolean; pattern?: RegExp } = { int: false };
  for (const c of def.checks ?? []) {
    const d = c._zod.def;
    if (d.check === 'min_length' || d.check === 'length_equals') out.min = d.minimum ?? d.value;
    if (d.check === 'max_length') out.max = d.maximum;
    if (d.check === 'greater_than') out.min = d.value;
    if (d.check === 'less_than') out.max = d.value;
    if (d.check === 'number_format' && /int/.test(d.format ?? '')) out.int = true;
    if (d.check === 'string_format' && d.pattern instanceof RegExp) out.pattern = d.pattern;
  }
  return out;
}

/** Strings a valid-looking request is made of. */
export interface Pool {
  strings: readonly string[];
}

/** Any JSON value, shallow. */
export function junk(rng: Rng, pool: Pool): unknown {
  switch (rng.int(0, 9)) {
    case 0:
      return null;
    case 1:
      return rng.int(-1e9, 1e9);
    case 2:
      return rng.chance(0.5);
    case 3:
      return [];
    case 4:
      return {};
    case 5:
      return 'x'.repeat(rng.int(0, 5000));
    case 6:
      return JSON.parse(`{"${rng.pick(PROTOTYPE_NAMES)}": ${JSON.stringify(rng.pick(pool.strings))}}`) as unknown;
    case 7:
      return rng.next() * 1e308;
    case 8:
      return [rng.pick(pool.strings), rng.int(0, 10)];
    default:
      return rng.pick(pool.strings);
  }
}

/** A value of the schema's shape (it may still fail a refinement). */
export function sample(schema: z.ZodType, rng: Rng, pool: Pool, depth = 0): unknown {
  const def = defOf(schema);
  if (depth > 8) return undefined;
  const next = (s: z.ZodType) => sample(s, rng, pool, depth + 1);
  switch (def.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, field] of Object.entries(def.shape ?? {})) {
        const t = defOf(field).type;
        if ((t === 'optional' || t === 'default' || t === 'prefault') && rng.chance(0.5)) continue;
        const value = next(field);
        if (value !== undefined) out[key] = value;
      }
      return out;
    }
    case 'string': {
      const b = bounds(def);
      const fitting = pool.strings.filter((s) => (b.min === undefined || s.length >= b.min) && (b.max === undefined || s.length <= b.max) && (!b.pattern || b.pattern.test(s)));
      return rng.pick(fitting.length > 0 && rng.chance(0.9) ? fitting : pool.strings);
    }
    case 'number': {
      const b = bounds(def);
      const lo = b.min ?? 0;
      const hi = b.max ?? Math.max(lo + 100, 1000);
      const n = rng.pick([lo, hi, lo + (hi - lo) / 2, rng.int(Math.ceil(lo), Math.floor(Math.min(hi, lo + 5000)))]);
      return b.int ? Math.round(n) : n;
    }
    case 'int':
      return rng.int(0, 100);
    case 'boolean':
      return rng.chance(0.5);
    case 'enum':
      return rng.pick(Object.values(def.entries ?? {}));
    case 'literal':
      return rng.pick(def.values ?? [null]);
    case 'null':
      return null;
    case 'array': {
      const b = bounds(def);
      const n = rng.int(b.min ?? 0, Math.min(b.max ?? 3, (b.min ?? 0) + 3));
      return Array.from({ length: n }, () => next(def.element as z.ZodType));
    }
    case 'tuple':
      return (def.items ?? []).map(next);
    case 'union':
      return next(rng.pick(def.options ?? []));
    case 'optional':
      return rng.chance(0.2) ? undefined : next(def.innerType as z.ZodType);
    case 'nullable':
      return rng.chance(0.2) ? null : next(def.innerType as z.ZodType);
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return next(def.innerType as z.ZodType);
    case 'pipe':
      return next(def.in as z.ZodType);
    case 'lazy':
      return next((def.getter as () => z.ZodType)());
    case 'intersection':
      return { ...(next(def.left as z.ZodType) as object), ...(next(def.right as z.ZodType) as object) };
    case 'record': {
      const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      for (let i = rng.int(0, 3); i > 0; i--) out[String(rng.chance(0.5) ? rng.pick(PROTOTYPE_NAMES) : next(def.keyType as z.ZodType))] = next(def.valueType as z.ZodType);
      // Through JSON, as the wire carries it: a "__proto__" key stays an own key.
      return JSON.parse(JSON.stringify(out)) as unknown;
    }
    default:
      return junk(rng, pool);
  }
}

/** The same request with one thing wrong: a field of the wrong type, one missing, one unknown (a prototype name), or junk. */
export function mutate(value: unknown, rng: Rng, pool: Pool): unknown {
  const text = JSON.stringify(value ?? null);
  const copy = JSON.parse(text) as unknown;
  if (typeof copy !== 'object' || copy === null || Array.isArray(copy) || rng.chance(0.15)) return junk(rng, pool);
  const rec = copy as Record<string, unknown>;
  const keys = Object.keys(rec);
  switch (rng.int(0, 3)) {
    case 0:
      // An unknown key named like a prototype property, as JSON.parse makes it (an own key).
      return JSON.parse(`{${text.length > 2 ? `${text.slice(1, -1)},` : ''}"${rng.pick(PROTOTYPE_NAMES)}": ${JSON.stringify(junk(rng, pool))}}`) as unknown;
    case 1:
      if (keys.length > 0) {
        rec[rng.pick(keys)] = rng.pick([null, 42, true, [], {}, 'x'.repeat(100_000), -1, 1e300]);
        return rec;
      }
      return { [rng.pick(PROTOTYPE_NAMES)]: 1 };
    case 2:
      if (keys.length > 0) {
        delete rec[rng.pick(keys)];
        return rec;
      }
      return [rec];
    default: {
      const key = keys.length > 0 ? rng.pick(keys) : 'id';
      rec[key] = junk(rng, pool);
      return rec;
    }
  }
}
