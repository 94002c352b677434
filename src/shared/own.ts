/**
 * Records keyed by names the admin chooses (server ids, cluster names, interface names). A plain
 * object answers for names it does not hold: `record['constructor']` is Object's constructor, and
 * `'toString' in record` is true. A server named "constructor" must find its own entry or none.
 */

/** The value stored under `key` by the record itself, never one it inherits. */
export function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Whether the record itself holds `key`. */
export function holds(record: Readonly<Record<string, unknown>> | undefined, key: string): boolean {
  return record !== undefined && Object.hasOwn(record, key);
}

/** An empty record with no prototype: no inherited names, and `__proto__` is a key like any other. */
export function dict<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
