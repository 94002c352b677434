/**
 * Roles and ACLs (/access/roles, /access/acl) as pve-access-control keeps them in user.cfg:
 * built-in roles per release, custom roles whose privileges must exist in that release (PVE 9
 * refuses VM.Monitor), and ACL entries granting roles to users and API tokens. Lab principals
 * hold their privileges cluster-wide, so only entries on "/" add to what a principal may do;
 * entries on other paths are kept and listed.
 */
import { failure } from './errors';
import type { PveProfile } from './profile';

export interface Role {
  privs: Set<string>;
  special: boolean;
}

export interface AclEntry {
  path: string;
  type: 'user' | 'token' | 'group';
  ugid: string;
  roleid: string;
  propagate: boolean;
}

const AUDIT = ['Datastore.Audit', 'Mapping.Audit', 'Pool.Audit', 'SDN.Audit', 'Sys.Audit', 'VM.Audit'];
const VM_USER = ['VM.Audit', 'VM.Console', 'VM.Backup', 'VM.Config.CDROM', 'VM.Config.Cloudinit', 'VM.PowerMgmt', 'Pool.Audit'];

function builtinRoles(profile: PveProfile): Map<string, Role> {
  const all = profile.privileges;
  const special = (privs: readonly string[]): Role => ({ privs: new Set(privs.filter((p) => all.includes(p))), special: true });
  return new Map<string, Role>([
    ['Administrator', special(all)],
    ['NoAccess', special([])],
    ['PVEAuditor', special(AUDIT)],
    ['PVEVMUser', special(VM_USER)],
    ['PVEVMAdmin', special([...all.filter((p) => p.startsWith('VM.')), 'Datastore.AllocateSpace', 'Datastore.Audit', 'Pool.Audit', 'Sys.Audit'])],
  ]);
}

/** The ACL object paths PVE::AccessControl::check_path accepts (the prefixes the lab knows). */
const ACL_PATH = /^\/(access(\/(groups|realm)(\/[^/]+)?)?|nodes(\/[^/]+)?|pool(\/[^/]+)?|sdn(\/.*)?|storage(\/[^/]+)?|vms(\/\d+)?|mapping(\/.*)?)?$/;

export function splitList(value: string | undefined): string[] {
  return (value ?? '').split(/[,;\s\0]+/).filter((s) => s.length > 0);
}

export class AccessControl {
  readonly roles: Map<string, Role>;
  readonly acl: AclEntry[] = [];

  constructor(
    private readonly profile: PveProfile,
    /** Whether a user or token id exists (the Authenticator knows). */
    private readonly exists: (type: 'user' | 'token', id: string) => boolean,
  ) {
    this.roles = builtinRoles(profile);
  }

  requireRole(roleid: string): Role {
    const role = this.roles.get(roleid);
    if (!role) throw failure(`role '${roleid}' does not exist`);
    return role;
  }

  /** Privilege names have been verified against the release by the schema check (pve-priv-list). */
  createRole(roleid: string, privs: readonly string[]): void {
    if (this.roles.has(roleid)) throw failure(`role '${roleid}' already exists`);
    if (roleid.startsWith('PVE')) throw failure(`cannot use role ID starting with 'PVE', it is reserved for built-in roles`);
    this.roles.set(roleid, { privs: new Set(privs), special: false });
  }

  updateRole(roleid: string, privs: readonly string[] | undefined, append: boolean): void {
    const role = this.requireRole(roleid);
    if (role.special) throw failure(`cannot modify special role '${roleid}'`);
    if (privs === undefined) return;
    role.privs = new Set(append ? [...role.privs, ...privs] : privs);
  }

  deleteRole(roleid: string): void {
    const role = this.requireRole(roleid);
    if (role.special) throw failure(`cannot delete special role '${roleid}'`);
    this.roles.delete(roleid);
    for (let i = this.acl.length - 1; i >= 0; i--) if (this.acl[i]?.roleid === roleid) this.acl.splice(i, 1);
  }

  /** PUT /access/acl: grant (or with `remove`, revoke) roles on a path to users and tokens. */
  modify(input: { path: string; roles: string[]; users: string[]; tokens: string[]; groups: string[]; propagate: boolean; remove: boolean }): void {
    const path = input.path.replace(/\/+$/, '') || '/';
    if (!ACL_PATH.test(path)) throw failure(`invalid ACL path '${input.path}'`);
    for (const roleid of input.roles) this.requireRole(roleid);
    const subjects: [AclEntry['type'], string][] = [
      ...input.users.map((u): [AclEntry['type'], string] => ['user', u]),
      ...input.tokens.map((t): [AclEntry['type'], string] => ['token', t]),
      ...input.groups.map((g): [AclEntry['type'], string] => ['group', g]),
    ];
    for (const [type, id] of subjects) {
      if (type === 'user' && !this.exists('user', id)) throw failure(`user '${id}' does not exist`);
      if (type === 'token' && !this.exists('token', id)) {
        const bang = id.indexOf('!');
        throw failure(`no such token '${id.slice(bang + 1)}' for user '${id.slice(0, Math.max(0, bang))}'`);
      }
      if (type === 'group') throw failure(`group '${id}' does not exist`);
    }
    for (const [type, ugid] of subjects) {
      for (const roleid of input.roles) {
        const at = this.acl.findIndex((e) => e.path === path && e.type === type && e.ugid === ugid && e.roleid === roleid);
        if (at >= 0) this.acl.splice(at, 1);
        if (!input.remove) this.acl.push({ path, type, ugid, roleid, propagate: input.propagate });
      }
    }
  }

  /** Privileges granted to a user or token id by ACL entries on "/". */
  granted(id: string): string[] {
    const out = new Set<string>();
    for (const entry of this.acl) {
      if (entry.path !== '/' || entry.ugid !== id) continue;
      for (const p of this.roles.get(entry.roleid)?.privs ?? []) out.add(p);
    }
    return [...out];
  }

  /** Every privilege of this release, for the GET /access/roles/{roleid} shape. */
  get knownPrivileges(): readonly string[] {
    return this.profile.privileges;
  }
}
