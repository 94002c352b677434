/**
 * Schemas built on first use. Building zod schemas is work (objects, closures, checks) that the
 * whole contract did at import, for every one of its ~130 requests and their shared parts, in
 * every process that loaded it: a standalone `rackdeck list` built them all to use four. A lazy
 * schema is built the first time anything reads it (a parse, `.shape`, a parent schema's first
 * parse) and is that same schema from then on: one schema still judges the CLI, the web face and
 * the form, and its type is the built schema's, so z.infer is unchanged.
 */
export function lazySchema<T extends object>(build: () => T): T {
  let built: T | undefined;
  const real = (): T => (built ??= build());
  // Every trap forwards to the built schema; zod's own `instanceof` reads `_zod.traits`, which
  // comes through `get` like any other property.
  return new Proxy({} as T, {
    get: (_target, key) => {
      const schema = real();
      return Reflect.get(schema, key, schema) as unknown;
    },
    set: (_target, key, value) => Reflect.set(real(), key, value),
    has: (_target, key) => Reflect.has(real(), key),
    ownKeys: () => Reflect.ownKeys(real()),
    getOwnPropertyDescriptor: (_target, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(real(), key);
      // A proxy may not report a property as non-configurable that its own target lacks.
      return descriptor ? { ...descriptor, configurable: true } : undefined;
    },
    defineProperty: (_target, key, descriptor) => Reflect.defineProperty(real(), key, descriptor),
    deleteProperty: (_target, key) => Reflect.deleteProperty(real(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
  });
}
