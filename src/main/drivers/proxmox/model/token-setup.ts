import { toBool, tokenOutputSchema } from './parse';
import { ProxmoxError } from './errors';

/**
 * Creates, over SSH on a Proxmox node, what Rackdeck needs to talk to the cluster with the
 * least privilege: a dedicated user, a role holding only audit, power, console and snapshot
 * privileges, and an API token with privilege separation whose ACL is that role. Never a root
 * token without privilege separation.
 *
 * It takes an `exec` function instead of an SSH connection so it does not depend on the SSH
 * driver's shape; every command is built from names checked against strict patterns, quoted.
 */
export type Exec = (cmd: string) => Promise<{ code: number; stdout: string; stderr: string }>;

/** Audit, power, console, snapshots, storage and node figures, backups' age (Datastore.Audit): on every release. */
export const BASE_PRIVILEGES = ['VM.Audit', 'VM.PowerMgmt', 'VM.Console', 'VM.Snapshot', 'VM.Snapshot.Rollback', 'Sys.Audit', 'Datastore.Audit'] as const;
/**
 * The guest agent's addresses: PVE 8 checks VM.Monitor; PVE 9 removed VM.Monitor (a role naming
 * it is refused) and checks VM.GuestAgent.Audit instead.
 */
export const AGENT_PRIVILEGES: Readonly<Record<8 | 9, readonly string[]>> = { 8: ['VM.Monitor'], 9: ['VM.GuestAgent.Audit'] };
/** Hibernate writes the RAM to a disk on a storage. */
export const HIBERNATE_PRIVILEGES = ['VM.Config.Disk', 'Datastore.AllocateSpace'] as const;
/** Deleting guests: only when the admin asks for it. */
export const DELETE_PRIVILEGES = ['VM.Allocate'] as const;

const USER = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const REALM = /^[A-Za-z][A-Za-z0-9._-]{0,31}$/;
const TOKEN = /^[A-Za-z][A-Za-z0-9._-]{0,63}$/;
const ROLE = /^[A-Za-z][A-Za-z0-9._-]{0,63}$/;
const PRIV = /^[A-Z][A-Za-z]*(?:\.[A-Z][A-Za-z]*)+$/;

export interface TokenSetupOptions {
  /** Default "rackdeck". */
  user?: string;
  /** Default "pve" (the Proxmox VE authentication server: no Unix account is created). */
  realm?: string;
  /** Default "rackdeck". */
  tokenName?: string;
  /** Default "Rackdeck". */
  role?: string;
  /** Add the privileges hibernate needs (default true). */
  hibernate?: boolean;
  /** Add VM.Allocate so guests can be deleted from Rackdeck (default false). */
  allowDelete?: boolean;
  /**
   * The Proxmox VE major release of the host (8 or 9), which decides the guest-agent privilege.
   * `setupToken` reads it with `pveversion` first when it is not given.
   */
  major?: number;
}

/** "9.1.2", "pve-manager/9.1.2/9a1c5e0f (running kernel: 6.17.2-1-pve)", "8.4" → 9, 9, 8. */
export function pveMajor(version: string | undefined): number | undefined {
  const m = /(?:^|pve-manager\/|\s)(\d+)\.\d+/.exec((version ?? '').trim());
  const n = m ? Number(m[1]) : NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/** The guest-agent privilege of a release: 9 and later VM.GuestAgent.Audit, 8 and earlier (or unknown) VM.Monitor. */
export function agentPrivileges(major: number | undefined): readonly string[] {
  return major !== undefined && major >= 9 ? AGENT_PRIVILEGES[9] : AGENT_PRIVILEGES[8];
}

export interface TokenSetupPlan {
  userid: string;
  tokenId: string;
  role: string;
  privileges: string[];
}

export function planTokenSetup(options: TokenSetupOptions = {}): TokenSetupPlan {
  const user = options.user ?? 'rackdeck';
  const realm = options.realm ?? 'pve';
  const tokenName = options.tokenName ?? 'rackdeck';
  const role = options.role ?? 'Rackdeck';
  if (!USER.test(user)) throw new Error(`"${user}" is not a valid Proxmox user name`);
  if (!REALM.test(realm)) throw new Error(`"${realm}" is not a valid realm`);
  if (!TOKEN.test(tokenName)) throw new Error(`"${tokenName}" is not a valid token name`);
  if (!ROLE.test(role) || role.startsWith('PVE')) throw new Error(`"${role}" is not a valid custom role name (PVE… is reserved)`);
  const privileges = [...BASE_PRIVILEGES, ...agentPrivileges(options.major), ...(options.hibernate === false ? [] : HIBERNATE_PRIVILEGES), ...(options.allowDelete ? DELETE_PRIVILEGES : [])];
  return { userid: `${user}@${realm}`, tokenId: `${user}@${realm}!${tokenName}`, role, privileges };
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Pure: the pveum commands, in order. */
export function tokenSetupCommands(plan: TokenSetupPlan) {
  for (const p of plan.privileges) if (!PRIV.test(p)) throw new Error(`"${p}" is not a privilege name`);
  const privs = q(plan.privileges.join(','));
  const tokenName = plan.tokenId.slice(plan.tokenId.indexOf('!') + 1);
  return {
    roleAdd: `pveum role add ${q(plan.role)} --privs ${privs}`,
    roleModify: `pveum role modify ${q(plan.role)} --privs ${privs}`,
    userAdd: `pveum user add ${q(plan.userid)} --comment ${q('Rackdeck (created by Rackdeck over SSH)')}`,
    userAcl: `pveum acl modify / --users ${q(plan.userid)} --roles ${q(plan.role)}`,
    tokenRemove: `pveum user token remove ${q(plan.userid)} ${q(tokenName)}`,
    tokenAdd: `pveum user token add ${q(plan.userid)} ${q(tokenName)} --privsep 1 --comment ${q('Rackdeck')} --output-format json`,
    tokenAcl: `pveum acl modify / --tokens ${q(plan.tokenId)} --roles ${q(plan.role)}`,
  };
}

/** Pure: pveum's JSON line (possibly among warnings) → the token id and its secret. */
export function parseTokenOutput(stdout: string): { tokenId: string; secret: string; privsep: boolean | undefined } {
  for (const line of stdout.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('{'))) {
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      continue;
    }
    const r = tokenOutputSchema.safeParse(json);
    if (!r.success) continue;
    const info = (typeof r.data.info === 'object' && r.data.info !== null ? r.data.info : {}) as Record<string, unknown>;
    return { tokenId: r.data['full-tokenid'], secret: r.data.value, privsep: toBool(info.privsep) };
  }
  throw new ProxmoxError('protocol', 'pveum did not print the new token as JSON');
}

export interface TokenSetupResult extends TokenSetupPlan {
  secret: string;
  /** Privileges this Proxmox version did not know (dropped from the role). */
  skippedPrivileges: string[];
  /** The release the host runs, as pveversion said ("9.1.2"), when it could be read. */
  version?: string;
}

/** Runs `pveversion` on the host: its release, or undefined when it cannot be read (the setup then learns from pveum's refusals). */
export async function hostVersion(exec: Exec): Promise<string | undefined> {
  try {
    const r = await exec('pveversion');
    if (r.code !== 0) return undefined;
    const m = /pve-manager\/(\d+\.\d+(?:\.\d+)?)/.exec(r.stdout);
    return m?.[1];
  } catch {
    return undefined;
  }
}

/**
 * Runs the plan. Existing user and role are reused (the role's privileges are set to the plan's);
 * an existing token of the same name is replaced, since its secret cannot be read back.
 */
export async function setupToken(exec: Exec, options: TokenSetupOptions = {}): Promise<TokenSetupResult> {
  // The release decides the guest-agent privilege: ask first rather than learn from a refusal.
  const version = options.major === undefined ? await hostVersion(exec) : undefined;
  const major = options.major ?? pveMajor(version);
  let plan = planTokenSetup({ ...options, ...(major !== undefined ? { major } : {}) });
  const skipped: string[] = [];
  const run = async (cmd: string, what: string, tolerate?: RegExp) => {
    const r = await exec(cmd);
    if (r.code !== 0 && !(tolerate && tolerate.test(`${r.stderr}\n${r.stdout}`))) {
      const reason = (r.stderr || r.stdout).trim().split('\n').slice(-1)[0] || `exit code ${r.code}`;
      throw new ProxmoxError(/permission|not allowed|only root/i.test(reason) ? 'permission' : 'server', `Could not ${what}: ${reason}`);
    }
    return r;
  };

  // Some privileges do not exist on every release (VM.Monitor went away in PVE 9): drop what pveum refuses.
  for (let attempt = 0; attempt < 4; attempt++) {
    const cmds = tokenSetupCommands({ ...plan, privileges: plan.privileges.filter((p) => !skipped.includes(p)) });
    const add = await exec(cmds.roleAdd);
    const text = `${add.stderr}\n${add.stdout}`;
    if (add.code === 0) break;
    if (/already exists/i.test(text)) {
      const mod = await exec(cmds.roleModify);
      if (mod.code === 0) break;
      const bad = /invalid privilege '([^']+)'/i.exec(`${mod.stderr}\n${mod.stdout}`)?.[1];
      if (bad && !skipped.includes(bad)) {
        skipped.push(bad);
        if (bad === 'VM.Monitor' && major === undefined) plan = { ...plan, privileges: [...plan.privileges, ...AGENT_PRIVILEGES[9]] };
        continue;
      }
      throw new ProxmoxError('server', `Could not update role ${plan.role}: ${(mod.stderr || mod.stdout).trim()}`);
    }
    const bad = /invalid privilege '([^']+)'/i.exec(text)?.[1];
    if (bad && !skipped.includes(bad)) {
      skipped.push(bad);
      // VM.Monitor refused: a release without it (9 and later), which reads guest agents with VM.GuestAgent.Audit.
      if (bad === 'VM.Monitor' && major === undefined) plan = { ...plan, privileges: [...plan.privileges, ...AGENT_PRIVILEGES[9]] };
      continue;
    }
    throw new ProxmoxError(/permission|only root/i.test(text) ? 'permission' : 'server', `Could not create role ${plan.role}: ${text.trim()}`);
  }
  const privileges = plan.privileges.filter((p) => !skipped.includes(p));
  const cmds = tokenSetupCommands({ ...plan, privileges });
  await run(cmds.userAdd, `create user ${plan.userid}`, /already exists/i);
  await run(cmds.userAcl, `grant role ${plan.role} to ${plan.userid}`);
  await run(cmds.tokenRemove, `remove the old token`, /no such token|does not exist|not found/i);
  const added = await run(cmds.tokenAdd, `create token ${plan.tokenId}`);
  const token = parseTokenOutput(added.stdout);
  if (token.tokenId !== plan.tokenId) throw new ProxmoxError('protocol', `pveum created ${token.tokenId}, expected ${plan.tokenId}`);
  if (token.privsep === false) throw new ProxmoxError('protocol', 'the token was created without privilege separation; refusing to use it');
  await run(cmds.tokenAcl, `grant role ${plan.role} to ${plan.tokenId}`);
  return { ...plan, privileges, secret: token.secret, skippedPrivileges: skipped, ...(version ? { version } : {}) };
}
