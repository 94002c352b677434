/**
 * `pveum` on a lab node (run over SSH, as Rackdeck's token setup does): roles, users, API
 * tokens and ACLs of the simulated cluster, with the answers of the real CLI — parameters
 * checked against the release's schema (so `role add --privs VM.Monitor` fails on PVE 9 with the
 * API's 400 text), failures as "<action> failed: <reason>" on stderr with exit code 255, and
 * `user token add --output-format json` printing the token on one line with sorted keys.
 */
import { randomUUID } from 'node:crypto';
import { splitList } from './access-control';
import type { ClusterState } from './cluster-state';
import { ApiError } from './errors';
import { labSchema, verifyParams } from './schema-check';

export interface CliResult {
  stdout: string;
  stderr: string;
  code: number;
}

const USAGE: Readonly<Record<string, string>> = {
  'role add': 'pveum role add <roleid> [OPTIONS]',
  'role modify': 'pveum role modify <roleid> [OPTIONS]',
  'role delete': 'pveum role delete <roleid>',
  'user add': 'pveum user add <userid> [OPTIONS]',
  'user token add': 'pveum user token add <userid> <tokenid> [OPTIONS] [FORMAT_OPTIONS]',
  'user token delete': 'pveum user token delete <userid> <tokenid> [FORMAT_OPTIONS]',
  'acl modify': 'pveum acl modify <path> --roles <string> [OPTIONS]',
  'acl delete': 'pveum acl delete <path> --roles <string> [OPTIONS]',
};

/** Splits "--name value" / "--name=value" options from positional arguments. */
function parseArgs(args: readonly string[]): { positional: string[]; options: Record<string, string> } {
  const positional: string[] = [];
  const options: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    if (eq > 0) options[arg.slice(2, eq)] = arg.slice(eq + 1);
    else options[arg.slice(2)] = args[++i] ?? '';
  }
  return { positional, options };
}

const ok = (stdout = ''): CliResult => ({ stdout, stderr: '', code: 0 });
const die = (message: string): CliResult => ({ stdout: '', stderr: message.endsWith('\n') ? message : `${message}\n`, code: 255 });

function paramFailure(errors: Record<string, string>, usage: string): CliResult {
  const lines = Object.entries(errors).map(([k, v]) => `${k}: ${v.replace(/\n$/, '')}`);
  return die(`400 Parameter verification failed.\n${lines.join('\n')}\n\n${usage}`);
}

/** Runs a write under the lock of user.cfg: a failure reads "<what> failed: <reason>". */
function locked(what: string, fn: () => CliResult): CliResult {
  try {
    return fn();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return die(`${what} failed: ${message.replace(/\n$/, '')}`);
  }
}

export function runPveum(state: ClusterState, args: readonly string[]): CliResult {
  const { positional, options } = parseArgs(args);
  const [group = '', verb = '', ...rest] = positional;
  const schema = labSchema(state.profile.major);
  const check = (method: string, path: string, params: Record<string, string>, usage: string): CliResult | undefined => {
    const parameters = schema.get(method, path)?.info.parameters;
    const errors = parameters ? verifyParams(parameters, params, { privileges: state.profile.privileges }) : undefined;
    return errors ? paramFailure(errors, usage) : undefined;
  };

  if (group === 'role' && (verb === 'add' || verb === 'modify' || verb === 'delete')) {
    const roleid = rest[0] ?? '';
    const params: Record<string, string> = { roleid, ...options };
    if (verb === 'add') {
      return check('POST', '/access/roles', params, USAGE['role add'] ?? '') ?? locked('create role', () => {
        state.access.createRole(roleid, splitList(options.privs));
        return ok();
      });
    }
    if (verb === 'modify') {
      return check('PUT', '/access/roles/{roleid}', params, USAGE['role modify'] ?? '') ?? locked('update role', () => {
        state.access.updateRole(roleid, options.privs === undefined ? undefined : splitList(options.privs), options.append === '1');
        return ok();
      });
    }
    return locked('delete role', () => {
      state.access.deleteRole(roleid);
      return ok();
    });
  }

  if (group === 'user' && verb === 'add') {
    const userid = rest[0] ?? '';
    if (!/^[^\s:/@]+@[A-Za-z][A-Za-z0-9._-]*$/.test(userid)) return paramFailure({ userid: `value '${userid}' does not look like a valid user name` }, USAGE['user add'] ?? '');
    return locked('create user', () => {
      if (state.auth.hasUser(userid)) throw new ApiError(500, `user '${userid}' already exists`);
      state.auth.addUser(userid);
      return ok();
    });
  }

  if (group === 'user' && verb === 'token') {
    const [action = '', userid = '', name = ''] = rest;
    const tokenId = `${userid}!${name}`;
    if (action === 'add') {
      return locked('generating token', () => {
        if (!state.auth.hasUser(userid)) throw new ApiError(500, `no such user ('${userid}')`);
        if (state.auth.hasToken(tokenId)) throw new ApiError(500, 'Token already exists.');
        const privsep = options.privsep ?? '1';
        const secret = randomUUID();
        state.auth.addToken(tokenId, secret, privsep !== '0');
        const info: Record<string, string> = { privsep };
        if (options.comment !== undefined) info.comment = options.comment;
        const answer = { 'full-tokenid': tokenId, info: Object.fromEntries(Object.entries(info).sort()), value: secret };
        if (options['output-format']?.startsWith('json')) return ok(`${JSON.stringify(answer)}\n`);
        return ok(['┌──────────────┬' + '─'.repeat(38) + '┐', `│ full-tokenid │ ${tokenId.padEnd(36)} │`, `│ info         │ ${JSON.stringify(answer.info).padEnd(36)} │`, `│ value        │ ${secret} │`, '└──────────────┴' + '─'.repeat(38) + '┘', ''].join('\n'));
      });
    }
    if (action === 'remove' || action === 'delete') {
      return locked('deleting token', () => {
        if (!state.auth.hasToken(tokenId)) throw new ApiError(500, `no such token '${name}' for user '${userid}'`);
        state.auth.removeToken(tokenId);
        return ok();
      });
    }
  }

  if (group === 'acl' && (verb === 'modify' || verb === 'delete')) {
    const path = rest[0] ?? '';
    const params: Record<string, string> = { path, ...options, ...(verb === 'delete' ? { delete: '1' } : {}) };
    return check('PUT', '/access/acl', params, USAGE[`acl ${verb}`] ?? '') ?? locked('ACL update', () => {
      state.access.modify({
        path,
        roles: splitList(options.roles),
        users: splitList(options.users),
        tokens: splitList(options.tokens),
        groups: splitList(options.groups),
        propagate: options.propagate !== '0',
        remove: verb === 'delete',
      });
      return ok();
    });
  }

  return die(`400 unknown command 'pveum ${positional.join(' ')}'`);
}
