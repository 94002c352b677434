import { OS_PROFILES } from '../../hosts/os-profiles';
import type { FileProvider } from '../vfs';
import { fail, ok, type Command, type CommandTable, type ExecContext } from '../types';

/** Identity and clock of the machine: os-release, machine-id, uname, uptime, hostname, id. */
export const LAB_DOMAIN = 'home.arpa';

const uname: Command = (args, ctx) => {
  const spec = ctx.machine.spec;
  const showsPlatform = OS_PROFILES[spec.os].unameShowsPlatform;
  const platform = showsPlatform ? 'x86_64' : 'unknown';
  const fields: Record<string, string> = {
    s: 'Linux', n: spec.hostname, r: spec.kernel.release, v: spec.kernel.version, m: 'x86_64', p: platform, i: platform, o: 'GNU/Linux',
  };
  const longNames: Record<string, string> = {
    '--kernel-name': 's', '--nodename': 'n', '--kernel-release': 'r', '--kernel-version': 'v', '--machine': 'm',
    '--processor': 'p', '--hardware-platform': 'i', '--operating-system': 'o', '--all': 'a',
  };
  const wanted = new Set<string>();
  for (const arg of args) {
    const letters = longNames[arg] ?? (arg.startsWith('-') && !arg.startsWith('--') ? arg.slice(1) : undefined);
    if (letters === undefined) return fail(`uname: extra operand '${arg}'\nTry 'uname --help' for more information.\n`, 1);
    for (const letter of letters) {
      if (!'asnrvmpio'.includes(letter)) return fail(`uname: invalid option -- '${letter}'\nTry 'uname --help' for more information.\n`, 1);
      wanted.add(letter);
    }
  }
  if (wanted.size === 0) wanted.add('s');
  const order = wanted.has('a')
    // -a leaves out processor and hardware platform when they are "unknown", as coreutils does.
    ? ['s', 'n', 'r', 'v', 'm', ...(showsPlatform ? ['p', 'i'] : []), 'o']
    : ['s', 'n', 'r', 'v', 'm', 'p', 'i', 'o'].filter((l) => wanted.has(l));
  return ok(`${order.map((l) => fields[l]).join(' ')}\n`);
};

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** procps-ng 4.0 `uptime` line, local time being UTC on lab machines. */
export function formatUptime(nowMs: number, uptimeSec: number, users: number, load: readonly number[]): string {
  const now = new Date(nowMs);
  const clock = `${pad2(now.getUTCHours())}:${pad2(now.getUTCMinutes())}:${pad2(now.getUTCSeconds())}`;
  const days = Math.floor(uptimeSec / 86400);
  const hours = Math.floor((uptimeSec % 86400) / 3600);
  const minutes = Math.floor((uptimeSec % 3600) / 60);
  let text = ` ${clock} up `;
  if (days > 0) text += `${days} ${days > 1 ? 'days' : 'day'}, `;
  text += hours > 0 ? `${String(hours).padStart(2)}:${pad2(minutes)}, ` : `${minutes} min, `;
  text += `${String(users).padStart(2)} ${users > 1 ? 'users' : 'user'},  `;
  text += `load average: ${load.map((l) => l.toFixed(2)).join(', ')}`;
  return `${text}\n`;
}

export function formatUptimePretty(uptimeSec: number): string {
  const units: [number, string][] = [[365 * 86400, 'year'], [7 * 86400, 'week'], [86400, 'day'], [3600, 'hour'], [60, 'minute']];
  let rest = Math.floor(uptimeSec);
  const parts: string[] = [];
  for (const [size, name] of units) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0) parts.push(`${n} ${name}${n > 1 ? 's' : ''}`);
  }
  return `up ${parts.length > 0 ? parts.join(', ') : '0 minutes'}\n`;
}

function since(nowMs: number, uptimeSec: number): string {
  const d = new Date(nowMs - uptimeSec * 1000);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}\n`;
}

const uptime: Command = (args, ctx) => {
  const m = ctx.machine.metrics();
  const now = ctx.machine.now();
  const up = m.uptimeSec(now);
  if (args.includes('-p') || args.includes('--pretty')) return ok(formatUptimePretty(up));
  if (args.includes('-s') || args.includes('--since')) return ok(since(now, up));
  const bad = args.find((a) => a.startsWith('-'));
  if (bad) return fail(`uptime: invalid option -- '${bad.replace(/^-+/, '')}'\n`, 1);
  return ok(formatUptime(now, up, ctx.machine.users(), m.loadavg));
};

const hostname: Command = (args, ctx) => {
  const spec = ctx.machine.spec;
  const arg = args[0];
  if (arg === undefined || arg === '-s' || arg === '--short') return ok(`${spec.hostname}\n`);
  if (arg === '-f' || arg === '--fqdn' || arg === '--long') return ok(`${spec.hostname}.${LAB_DOMAIN}\n`);
  if (arg === '-d' || arg === '--domain') return ok(`${LAB_DOMAIN}\n`);
  if (arg === '-i' || arg === '--ip-address') return ok(`${spec.address}\n`);
  if (arg === '-I' || arg === '--all-ip-addresses') {
    const ips = spec.nics.flatMap((n) => (n.ipv4 ? [n.ipv4.local] : []));
    return ok(`${ips.join(' ')} \n`);
  }
  if (arg.startsWith('-')) return fail(`hostname: invalid option -- '${arg.slice(1)}'\n`, 1);
  return fail('hostname: you must be root to change the host name\n', 1);
};

function identity(ctx: ExecContext): { user: string; uid: number } {
  return ctx.root ? { user: 'root', uid: 0 } : { user: ctx.user, uid: 1000 };
}

const whoami: Command = (_args, ctx) => ok(`${identity(ctx).user}\n`);

const id: Command = (_args, ctx) => {
  const { user, uid } = identity(ctx);
  if (uid === 0) return ok('uid=0(root) gid=0(root) groups=0(root)\n');
  return ok(`uid=${uid}(${user}) gid=${uid}(${user}) groups=${uid}(${user}),24(cdrom),27(sudo),100(users)\n`);
};

const nproc: Command = (_args, ctx) => ok(`${ctx.machine.spec.cpus}\n`);

const date: Command = (args, ctx) => {
  const now = new Date(ctx.machine.now());
  if (args[0] === '+%s') return ok(`${Math.floor(now.getTime() / 1000)}\n`);
  const day = now.toUTCString().slice(0, 3);
  const month = now.toUTCString().slice(8, 11);
  return ok(`${day} ${month} ${String(now.getUTCDate()).padStart(2)} ${pad2(now.getUTCHours())}:${pad2(now.getUTCMinutes())}:${pad2(now.getUTCSeconds())} UTC ${now.getUTCFullYear()}\n`);
};

export const systemFiles: FileProvider = {
  files: {
    '/etc/os-release': (ctx) => ctx.machine.spec.osRelease,
    '/usr/lib/os-release': (ctx) => ctx.machine.spec.osRelease,
    '/etc/machine-id': (ctx) => `${ctx.machine.spec.machineId}\n`,
    '/etc/hostname': (ctx) => `${ctx.machine.spec.hostname}\n`,
    '/etc/debian_version': (ctx) => `${OS_PROFILES[ctx.machine.spec.os].debianVersion ?? '12.8'}\n`,
    '/etc/timezone': () => 'Etc/UTC\n',
  },
  list: (path, ctx) => {
    const base: Record<string, string[]> = {
      '/': ['bin', 'boot', 'dev', 'etc', 'home', 'lib', 'lib64', 'media', 'mnt', 'opt', 'proc', 'root', 'run', 'sbin', 'srv', 'sys', 'tmp', 'usr', 'var'],
      '/etc': ['debian_version', 'hostname', 'hosts', 'machine-id', 'os-release', 'passwd', 'ssh', 'timezone', ...(ctx.machine.spec.os === 'proxmox' ? ['pve'] : [])].sort(),
      '/home': ctx.machine.spec.user === 'root' ? [] : [ctx.machine.spec.user],
      '/root': [],
      '/tmp': [...ctx.machine.scratch.keys()].filter((k) => k.startsWith('/tmp/')).map((k) => k.slice(5)),
      [ctx.home]: [...ctx.machine.scratch.keys()].filter((k) => k.startsWith(`${ctx.home}/`)).map((k) => k.slice(ctx.home.length + 1)),
    };
    return base[path];
  },
};

/**
 * `who` as coreutils prints it from utmp: `user  pts/0  2026-01-01 07:00 (192.0.2.4)`, one line
 * per session with a terminal; `-q` gives the names and the count.
 */
const who: Command = (args, ctx) => {
  const logins = ctx.machine.logins();
  const bad = args.find((a) => a !== '-q' && a !== '--count');
  if (bad) return fail(`who: invalid option -- '${bad.replace(/^-+/, '')}'\nTry 'who --help' for more information.\n`, 1);
  if (args.length > 0) return ok(`${logins.map((l) => l.user).join(' ')}\n# users=${logins.length}\n`);
  return ok(
    logins
      .map((l) => {
        const d = new Date(l.at);
        const when = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
        return `${l.user.padEnd(8)} ${l.tty.padEnd(12)} ${when} (${l.from})\n`;
      })
      .join(''),
  );
};

export const systemCommands: CommandTable = { uname, uptime, hostname, whoami, id, nproc, date, who };
