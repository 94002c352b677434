/**
 * Checks a response's `data` against a method's `returns` schema, for the lab's own tests and
 * for client code that wants to know whether it reads Proxmox's documented shapes. Follows the
 * schema's dialect: booleans are 0/1 integers, `optional: 1` marks optional properties, and
 * properties the schema does not list are tolerated (real servers send many).
 */
import type { SchemaProp } from './schema-types';

function typeMatches(type: string, value: unknown): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return value === 0 || value === 1;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    default:
      return true;
  }
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value === 'object' ? 'object' : JSON.stringify(value);
}

/** Returns human-readable problems ("path: message"); an empty list means the data conforms. */
export function validateReturns(schema: SchemaProp, data: unknown, path = 'data'): string[] {
  const problems: string[] = [];
  const types =
    schema.type === undefined
      ? schema.properties
        ? ['object']
        : []
      : typeof schema.type === 'string'
        ? [schema.type]
        : [...schema.type];
  if (data === undefined) return problems;
  if (types.length > 0 && !types.some((t) => typeMatches(t, data))) {
    problems.push(`${path}: expected ${types.join('|')}, got ${describeValue(data)}`);
    return problems;
  }
  if (schema.enum && (typeof data === 'string' || typeof data === 'number')) {
    if (!schema.enum.some((e) => String(e) === String(data))) {
      problems.push(`${path}: ${JSON.stringify(data)} is not one of ${schema.enum.join(', ')}`);
    }
  }
  const items = schema.items;
  if (Array.isArray(data) && items) {
    data.forEach((item, i) => problems.push(...validateReturns(items, item, `${path}[${i}]`)));
  } else if (data !== null && typeof data === 'object' && !Array.isArray(data) && schema.properties) {
    const record = data as Record<string, unknown>;
    for (const [key, prop] of Object.entries(schema.properties)) {
      const value = record[key];
      if (value === undefined) {
        if (prop.optional !== 1 && prop.optional !== true) problems.push(`${path}.${key}: missing`);
        continue;
      }
      problems.push(...validateReturns(prop, value, `${path}.${key}`));
    }
  }
  return problems;
}
