import type { FileProvider } from '../vfs';
import { fail, ok, type Command, type CommandTable, type ExecContext, type PowerRequest } from '../types';

/**
 * The ways a Linux box is put to sleep or switched off from a shell. Each one only records the
 * request: the host acts after the command has returned, as a real machine suspends after
 * systemctl has answered logind's reply, so the caller sees exit 0 and then loses the host.
 */
const NEEDS_AUTH: Readonly<Record<PowerRequest, string>> = {
  suspend: 'Failed to suspend system via logind: Interactive authentication required.\n',
  hibernate: 'Failed to hibernate system via logind: Interactive authentication required.\n',
  poweroff: 'Failed to power off system via logind: Interactive authentication required.\n',
  reboot: 'Failed to reboot system via logind: Interactive authentication required.\n',
};

const NO_SWAP = 'Failed to hibernate system via logind: Not enough suitable swap space for hibernation available on compatible block devices and file systems.\n';

function request(ctx: ExecContext, what: PowerRequest): ReturnType<Command> {
  if (ctx.machine.powerNeedsRoot() && !ctx.root) return fail(NEEDS_AUTH[what], 1);
  if (what === 'hibernate' && !ctx.machine.spec.canHibernate) return fail(NO_SWAP, 1);
  ctx.requestPower(what);
  return ok();
}

const SYSTEMCTL_VERBS: Readonly<Record<string, PowerRequest>> = {
  suspend: 'suspend',
  'suspend-then-hibernate': 'suspend',
  'hybrid-sleep': 'suspend',
  hibernate: 'hibernate',
  poweroff: 'poweroff',
  halt: 'poweroff',
  reboot: 'reboot',
  kexec: 'reboot',
};

const systemctl: Command = (args, ctx) => {
  const verbs = args.filter((a) => !a.startsWith('-'));
  const verb = verbs[0];
  if (verb === undefined) return ok('  UNIT                      LOAD   ACTIVE SUB     DESCRIPTION\n');
  const power = SYSTEMCTL_VERBS[verb];
  if (power) return request(ctx, power);
  if (verb === 'is-system-running') return ok('running\n');
  if (verb === 'is-active') return ok(`${verbs.slice(1).map(() => 'active').join('\n')}\n`);
  if (verb === 'is-enabled') return ok(`${verbs.slice(1).map(() => 'enabled').join('\n')}\n`);
  return fail(`Unknown command verb '${verb}'.\n`, 1);
};

function pmUtil(what: PowerRequest): Command {
  return (_args, ctx) => {
    if (!ctx.root) return fail('This utility may only be run by the root user.\n', 1);
    if (what === 'hibernate' && !ctx.machine.spec.canHibernate) return fail('', 1);
    ctx.requestPower(what);
    return ok();
  };
}

const shutdown: Command = (args, ctx) => {
  const flags = args.filter((a) => a.startsWith('-'));
  const operands = args.filter((a) => !a.startsWith('-'));
  if (flags.includes('-c')) return ok();
  const what: PowerRequest = flags.some((f) => f === '-r' || f === '--reboot') ? 'reboot' : 'poweroff';
  const when = operands[0] ?? '+1';
  if (when === 'now' || when === '+0' || when === '0') return request(ctx, what);
  // A delayed shutdown is only announced; the lab does not keep timers for it.
  const at = new Date(ctx.machine.now() + 60_000);
  const stamp = at.toISOString().replace('T', ' ').slice(0, 19);
  const day = at.toUTCString().slice(0, 3);
  return { stdout: '', stderr: `${what === 'reboot' ? 'Reboot' : 'Shutdown'} scheduled for ${day} ${stamp} UTC, use 'shutdown -c' to cancel.\n`, code: 0 };
};

function direct(what: PowerRequest): Command {
  return (_args, ctx) => request(ctx, what);
}

/** /sys/power/state (and the /proc/sys/power/state spelling some scripts use). */
function writePowerState(content: string, ctx: ExecContext): string | undefined {
  const value = content.trim();
  if (value === 'mem' || value === 'freeze') {
    ctx.requestPower('suspend');
    return undefined;
  }
  if (value === 'disk') {
    if (!ctx.machine.spec.canHibernate) return 'No such device';
    ctx.requestPower('hibernate');
    return undefined;
  }
  return 'Invalid argument';
}

export const powerFiles: FileProvider = {
  files: {
    '/sys/power/state': () => 'freeze mem disk\n',
    '/sys/power/disk': () => '[platform] shutdown reboot suspend test_resume\n',
    '/sys/power/mem_sleep': () => 's2idle [deep]\n',
  },
  writers: {
    '/sys/power/state': writePowerState,
    '/proc/sys/power/state': writePowerState,
  },
  list: (path) => (path === '/sys/power' ? ['disk', 'mem_sleep', 'state'] : undefined),
};

export const powerCommands: CommandTable = {
  systemctl,
  'pm-suspend': pmUtil('suspend'),
  'pm-hibernate': pmUtil('hibernate'),
  'pm-suspend-hybrid': pmUtil('suspend'),
  shutdown,
  poweroff: direct('poweroff'),
  halt: direct('poweroff'),
  reboot: direct('reboot'),
};
