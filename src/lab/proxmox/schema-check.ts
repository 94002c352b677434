/**
 * The lab referees itself with the official schema: every request is matched to its schema
 * endpoint and its parameters are verified the way PVE::JSONSchema does (same checks, same
 * order, same texts) before any handler runs.
 */
import type { PveMajor } from './profile';
import { PVE8_API_SUBSET_JSON } from './pve-api-schema-8';
import { PVE9_API_SUBSET_JSON } from './pve-api-schema-9';
import type { SchemaEndpoint, SchemaProp } from './schema-types';

export interface MatchedEndpoint {
  endpoint: SchemaEndpoint;
  /** Values of the {placeholders} in the path, URL-decoded. */
  pathParams: Record<string, string>;
}

interface CompiledEndpoint {
  endpoint: SchemaEndpoint;
  segments: readonly string[];
}

export class SchemaIndex {
  private readonly byMethod = new Map<string, CompiledEndpoint[]>();

  constructor(readonly endpoints: readonly SchemaEndpoint[]) {
    for (const endpoint of endpoints) {
      const list = this.byMethod.get(endpoint.method) ?? [];
      list.push({ endpoint, segments: splitPath(endpoint.path) });
      this.byMethod.set(endpoint.method, list);
    }
  }

  find(method: string, path: string): MatchedEndpoint | undefined {
    const segments = splitPath(path);
    for (const candidate of this.byMethod.get(method) ?? []) {
      if (candidate.segments.length !== segments.length) continue;
      const pathParams: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < segments.length && ok; i++) {
        const want = candidate.segments[i] ?? '';
        const got = segments[i] ?? '';
        if (want.startsWith('{') && want.endsWith('}')) pathParams[want.slice(1, -1)] = got;
        else ok = want === got;
      }
      if (ok) return { endpoint: candidate.endpoint, pathParams };
    }
    return undefined;
  }

  get(method: string, path: string): SchemaEndpoint | undefined {
    return this.byMethod.get(method)?.find((c) => c.endpoint.path === path)?.endpoint;
  }
}

/** PVE's router ignores empty components, so "/nodes//pve1/" is "/nodes/pve1". */
export function splitPath(path: string): string[] {
  return path
    .split('/')
    .filter((s) => s.length > 0)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
}

const shared = new Map<PveMajor, SchemaIndex>();

/** The schema subset of a release (PVE 9.1 by default), parsed once. */
export function labSchema(major: PveMajor = 9): SchemaIndex {
  let index = shared.get(major);
  if (!index) {
    const parsed: unknown = JSON.parse(major === 9 ? PVE9_API_SUBSET_JSON : PVE8_API_SUBSET_JSON);
    if (!Array.isArray(parsed)) throw new Error('schema subset is not a list');
    index = new SchemaIndex(parsed as SchemaEndpoint[]);
    shared.set(major, index);
  }
  return index;
}

/**
 * Several values for one array parameter (a repeated form field, or a JSON array) travel
 * joined by NUL, the separator pve-http-server's form decoding has always used.
 */
export const ARRAY_SEPARATOR = '\0';

export interface VerifyOptions {
  /** Privileges the release knows: pve-priv values outside it are refused. */
  privileges?: readonly string[];
}

// ---- parameter verification (PVE::JSONSchema::check_prop for flat request parameters) ----

const CONFIGID_RE = /^[a-z][a-z0-9_-]+$/i;

/** The formats registered in pve-common that the lab's endpoints use, with their `die` texts. */
const FORMATS: Readonly<Record<string, (v: string, opts: VerifyOptions) => string | undefined>> = {
  'pve-vmid': (v) => (/^[1-9][0-9]{2,8}$/.test(v) ? undefined : 'value does not look like a valid VM ID'),
  'pve-node': (v) =>
    /^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/.test(v) ? undefined : 'value does not look like a valid node name',
  'pve-configid': (v) => (CONFIGID_RE.test(v) ? undefined : `invalid configuration ID '${v}'`),
  'pve-storage-id': (v) =>
    /^[a-z][a-z0-9\-_.]*[a-z0-9]$/i.test(v) ? undefined : `storage ID '${v}' contains illegal characters`,
  'pve-realm': (v) =>
    /^[a-z][a-z0-9\-_.]*[a-z0-9]$/i.test(v) ? undefined : `realm ID '${v}' contains illegal characters`,
  'pve-storage-content': (v) =>
    /^(images|rootdir|vztmpl|iso|backup|snippets|import|none)$/.test(v) ? undefined : `invalid content type '${v}'`,
  // pve-access-control's pve_verify_priv: only privileges of this release exist.
  'pve-priv': (v, opts) =>
    /^[A-Z][A-Za-z.]+$/.test(v) && (opts.privileges === undefined || opts.privileges.includes(v)) ? undefined : `invalid privilege '${v}'`,
  'pve-roleid': (v) => (/^[A-Za-z0-9.\-_]+$/.test(v) ? undefined : `role name '${v}' contains illegal characters`),
  'pve-task-status-type': (v) =>
    /^(ok|error|warning|unknown)$/.test(v) ? undefined : `invalid task status '${v}'`,
};

function checkFormat(format: string, value: string, opts: VerifyOptions): string | undefined {
  const list = /^(.*)-a?list$/.exec(format);
  if (list?.[1] !== undefined) {
    const inner = FORMATS[list[1]];
    if (!inner) return undefined;
    for (const item of value.split(/[,;\s\0]+/).filter((s) => s.length > 0)) {
      const err = inner(item, opts);
      if (err) return err;
    }
    return undefined;
  }
  return FORMATS[format]?.(value, opts);
}

const IS_NUMBER = /^[+-]?(\d+\.\d+|\d+\.|\.\d+|\d+)([eE][+-]?\d+)?$/;
const IS_INTEGER = /^[+-]?\d+$/;

function isOptional(prop: SchemaProp): boolean {
  return prop.optional === 1 || prop.optional === true || prop.alias !== undefined;
}

/** check_type for a wire value (always a string after form/JSON decoding). */
function typeError(type: string, value: string): string | undefined {
  switch (type) {
    case 'boolean':
      return value === '0' || value === '1' ? undefined : `type check ('boolean') failed - got '${value}'`;
    case 'integer':
      return IS_INTEGER.test(value) ? undefined : `type check ('integer') failed - got '${value}'`;
    case 'number':
      return IS_NUMBER.test(value) ? undefined : `type check ('number') failed - got '${value}'`;
    case 'array':
    case 'object':
      return `type check ('${type}') failed`;
    default:
      return undefined;
  }
}

const regexCache = new Map<string, RegExp | null>();

function anchored(pattern: string): RegExp | null {
  let re = regexCache.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(`^(?:${pattern})$`);
    } catch {
      // A few schema patterns use Perl-only syntax such as (?^:...); those are not checked.
      re = null;
    }
    regexCache.set(pattern, re);
  }
  return re;
}

function checkValue(prop: SchemaProp, value: string, opts: VerifyOptions): string | undefined {
  const types = prop.type === undefined ? [] : typeof prop.type === 'string' ? [prop.type] : prop.type;
  if (types.length === 1) {
    const err = typeError(types[0] ?? 'string', value);
    if (err) return err;
  } else if (types.length > 1 && types.every((t) => typeError(t, value) !== undefined)) {
    return `type check ('${types.join('|')}') failed`;
  }
  if (typeof prop.format === 'string') {
    const err = checkFormat(prop.format, value, opts);
    if (err) return `invalid format - ${err}\n`;
  }
  if (prop.pattern !== undefined && anchored(prop.pattern)?.test(value) === false) {
    return 'value does not match the regex pattern';
  }
  if (prop.maxLength !== undefined && value.length > prop.maxLength) {
    return `value may only be ${prop.maxLength} characters long`;
  }
  if (prop.minLength !== undefined && value.length < prop.minLength) {
    return `value must be at least ${prop.minLength} characters long`;
  }
  if (IS_NUMBER.test(value)) {
    const n = Number(value);
    if (prop.maximum !== undefined && n > prop.maximum) return `value must have a maximum value of ${prop.maximum}`;
    if (prop.minimum !== undefined && n < prop.minimum) return `value must have a minimum value of ${prop.minimum}`;
  }
  if (prop.enum && !prop.enum.some((e) => String(e) === value)) {
    return `value '${value}' does not have a value in the enumeration '${prop.enum.join(', ')}'`;
  }
  return undefined;
}

/**
 * Verifies request parameters against a method's `parameters` schema. Returns the `errors`
 * object of a 400 answer, or undefined when the parameters are acceptable.
 */
export function verifyParams(
  schema: SchemaProp,
  params: Readonly<Record<string, string>>,
  opts: VerifyOptions = {},
): Record<string, string> | undefined {
  const errors: Record<string, string> = {};
  const add = (key: string, msg: string): void => {
    errors[key] = errors[key] === undefined ? msg : `${errors[key]}\n${msg}`;
  };
  const props = schema.properties ?? {};
  for (const [name, prop] of Object.entries(props)) {
    const value = params[name];
    if (value === undefined) {
      if (!isOptional(prop)) add(name, 'property is missing and it is not optional');
      continue;
    }
    if (prop.type === 'array') {
      // Each element is checked against `items`, its errors keyed "name[i]" as check_prop does.
      const items = prop.items ?? {};
      value.split(ARRAY_SEPARATOR).forEach((item, i) => {
        const err = checkValue(items, item, opts);
        if (err) add(`${name}[${i}]`, err);
      });
      continue;
    }
    const err = checkValue(prop, value, opts);
    if (err) add(name, err);
  }
  const additional = schema.additionalProperties;
  for (const name of Object.keys(params)) {
    const prop = props[name];
    if (prop) {
      if (typeof prop.requires === 'string' && params[prop.requires] === undefined) {
        add(prop.requires, `missing property - '${name}' requires this property`);
      }
      continue;
    }
    // As in check_object: only an explicit 0 forbids extra parameters.
    if (additional === 0 || additional === false) {
      add(name, 'property is not defined in schema and the schema does not allow additional properties');
    } else if (typeof additional === 'object') {
      const err = checkValue(additional, params[name] ?? '', opts);
      if (err) add(name, err);
    }
  }
  return Object.keys(errors).length > 0 ? errors : undefined;
}
