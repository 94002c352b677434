/**
 * Authorisation. Each method's `permissions.check` from the schema says which privilege it
 * needs on which ACL path; a principal that lacks it gets 403 "Permission check failed (<path>,
 * <privs>)" exactly as PVE::RPCEnvironment words it. Lab principals hold their privileges on
 * "/" with propagation, so one set answers every path. Which privileges exist depends on the
 * release (profile.ts).
 */
import { ApiError } from './errors';
import type { PermissionCheck } from './schema-types';

export class PrivilegeSet {
  private readonly privs: ReadonlySet<string>;

  /** The privileges themselves: 'all' is resolved against the release's list by the caller. */
  constructor(privileges: Iterable<string>) {
    this.privs = new Set(privileges);
  }

  has(priv: string): boolean {
    return this.privs.has(priv);
  }

  list(): string[] {
    return [...this.privs].sort();
  }
}

function fillPath(template: string, params: Readonly<Record<string, string>>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => params[name] ?? '');
}

/** Evaluates one check; returns the denial text or undefined when allowed. */
function evaluate(check: PermissionCheck, privs: PrivilegeSet, params: Readonly<Record<string, string>>): string | undefined {
  const [kind, ...rest] = check;
  if (kind === 'perm') {
    const [pathTemplate, wanted, ...flags] = rest;
    if (typeof pathTemplate !== 'string' || !Array.isArray(wanted)) return 'Permission check failed';
    const path = fillPath(pathTemplate, params);
    const names = wanted.filter((p): p is string => typeof p === 'string');
    const any = flags[0] === 'any' && flags[1] === 1;
    if (any) {
      return names.some((p) => privs.has(p)) ? undefined : `Permission check failed (${path}, ${names.join('|')})`;
    }
    const missing = names.find((p) => !privs.has(p));
    return missing === undefined ? undefined : `Permission check failed (${path}, ${missing})`;
  }
  if (kind === 'and' || kind === 'or') {
    const results = rest.filter(Array.isArray).map((c) => evaluate(c as PermissionCheck, privs, params));
    if (kind === 'and') return results.find((r) => r !== undefined);
    return results.some((r) => r === undefined) ? undefined : results[0];
  }
  // Checks the lab has no model for (user/group ownership) pass only with every privilege.
  return privs.has('Permissions.Modify') ? undefined : 'Permission check failed';
}

/** Throws the 403 a real node answers when the principal lacks the method's privileges. */
export function assertPermitted(
  permissions: { check?: PermissionCheck; user?: string } | undefined,
  privs: PrivilegeSet,
  params: Readonly<Record<string, string>>,
): void {
  if (!permissions?.check) return;
  const denial = evaluate(permissions.check, privs, params);
  if (denial !== undefined) throw new ApiError(403, `${denial}\n`);
}

/** The `cap` object of a ticket answer: privileges grouped the way the GUI reads them. */
export function capabilities(privs: PrivilegeSet): Record<string, Record<string, number>> {
  const cap: Record<string, Record<string, number>> = { vms: {}, storage: {}, access: {}, nodes: {}, dc: {}, sdn: {}, mapping: {} };
  const put = (group: string, priv: string): void => {
    const bucket = cap[group];
    if (bucket) bucket[priv] = 1;
  };
  for (const priv of privs.list()) {
    if (priv.startsWith('VM.')) put('vms', priv);
    else if (priv.startsWith('Datastore.')) put('storage', priv);
    else if (/^(User|Group|Realm|Permissions)\./.test(priv)) put('access', priv);
    else if (priv.startsWith('SDN.')) put('sdn', priv);
    else if (priv.startsWith('Mapping.')) put('mapping', priv);
    else if (priv.startsWith('Sys.')) {
      put('nodes', priv);
      if (priv === 'Sys.Audit' || priv === 'Sys.Modify') put('dc', priv);
    }
  }
  return cap;
}
