/**
 * The contract's schemas are built on first use (src/shared/contract/lazy.ts): a process builds
 * only the schemas of the requests it serves or sends. A lazy schema must be the very schema it
 * stands for: the same answers, the same refusals, usable inside other schemas and by zod's
 * own `instanceof`.
 */
import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { request, type RequestDef } from '../../src/shared/ipc';
import { contract } from '../../src/shared/contract';
import { lazySchema } from '../../src/shared/contract/lazy';

const eager = () => z.object({ name: z.string().trim().min(2, 'a name is 2 characters or more'), port: z.number().int().optional() }).strict();

describe('lazySchema', () => {
  it('builds the schema on first use, once, and not before', () => {
    const build = vi.fn(eager);
    const schema = lazySchema(build);
    expect(build).not.toHaveBeenCalled();
    expect(schema.parse({ name: ' box ' })).toEqual({ name: 'box' });
    expect(schema.safeParse({ name: 'b' }).success).toBe(false);
    expect(build).toHaveBeenCalledTimes(1);
  });

  it('refuses as the schema it stands for, field by field', () => {
    const input = { name: 'b', port: 1.5, extra: true };
    const lazy = lazySchema(eager).safeParse(input);
    const built = eager().safeParse(input);
    expect(lazy.success).toBe(false);
    expect(lazy.error?.issues).toEqual(built.error?.issues);
  });

  it('works inside other schemas, with its shape, methods and zod instanceof', () => {
    const inner = lazySchema(eager);
    const outer = z.object({ server: inner, list: z.array(inner.partial()).optional() });
    expect(outer.parse({ server: { name: 'nas' }, list: [{}] })).toEqual({ server: { name: 'nas' }, list: [{}] });
    expect(outer.safeParse({ server: { name: 'n' } }).error?.issues[0]?.path).toEqual(['server', 'name']);
    expect(Object.keys(inner.shape)).toEqual(['name', 'port']);
    expect(inner instanceof z.ZodObject).toBe(true);
    expect(inner.extend({ mac: z.string() }).safeParse({ name: 'nas' }).success).toBe(false);
  });
});

describe('request schemas', () => {
  it('a request given a builder builds its schema when first read, then keeps it', () => {
    const build = vi.fn(eager);
    const def = request<string>()(build);
    expect(build).not.toHaveBeenCalled();
    const first = def.input;
    expect(def.input).toBe(first);
    expect(build).toHaveBeenCalledTimes(1);
  });

  it('every request of the contract builds its schema on first use', () => {
    const eagerOnes: string[] = [];
    for (const [group, methods] of Object.entries(contract)) {
      for (const [method, def] of Object.entries(methods as Record<string, RequestDef>)) {
        if (typeof Object.getOwnPropertyDescriptor(def, 'input')?.get !== 'function') eagerOnes.push(`${group}.${method}`);
      }
    }
    expect(eagerOnes).toEqual([]);
  });
});
