import type { RemoteShell } from './hooks';

/**
 * "Install agent" and "Remove agent" over SSH. Every value that reaches the remote host is
 * validated first (URL, key, VM id, node, the temp folder the host gave us); the install and
 * removal scripts themselves are constants fed on stdin with the temp folder as their only
 * argument, so no shell string is ever built from input. The key travels in a 0600 file inside
 * a 0700 folder, never on a command line.
 */
export interface AgentFiles {
  script: string;
  service: string;
  timer: string;
}

export interface InstallPlan {
  url: string;
  key: string;
  vmid?: number;
  node?: string;
}

export interface InstallerDeps {
  shell: RemoteShell;
  files: AgentFiles;
  /** Prefix the privileged step with `sudo -n` (the SSH user is not root). */
  sudo: boolean;
  /**
   * Resolves with the time the first heartbeat reached this Rackdeck, or undefined on timeout.
   * Absent when no receiver runs in this process (the CLI): the agent's own first run, which
   * exits 0 only when the receiver accepted its report, is the proof then.
   */
  waitForHeartbeat?: () => Promise<number | undefined>;
  timeoutMs?: number;
}

export interface InstallOutcome {
  scheduler: 'systemd' | 'cron';
  heartbeatAt?: number;
  steps: string[];
}

export class InstallError extends Error {
  constructor(
    message: string,
    readonly steps: string[],
  ) {
    super(message);
    this.name = 'InstallError';
  }
}

const URL_RE = /^https?:\/\/[A-Za-z0-9.:[\]-]+(?::\d{1,5})?\/?$/;
const KEY_RE = /^rdk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/;
const NODE_RE = /^[A-Za-z0-9][A-Za-z0-9.-]{0,62}$/;
const TMP_RE = /^\/tmp\/rackdeck-agent\.[A-Za-z0-9]{8,16}$/;

export function validatePlan(plan: InstallPlan): string | undefined {
  if (!URL_RE.test(plan.url)) return `the receiver URL "${plan.url}" is not like http://192.168.1.10:7374`;
  if (!KEY_RE.test(plan.key)) return 'the agent key is malformed';
  if (plan.vmid !== undefined && !(Number.isInteger(plan.vmid) && plan.vmid > 0 && plan.vmid < 1e9)) return 'the VM id is not a guest id';
  if (plan.node !== undefined && !NODE_RE.test(plan.node)) return 'the node is not a Proxmox node name';
  return undefined;
}

/** The agent's config file: only validated values, one per line, parsed (never sourced) by the agent. */
export function agentConfig(plan: InstallPlan): string {
  const problem = validatePlan(plan);
  if (problem) throw new Error(problem);
  return [
    '# Rackdeck agent configuration: written by Rackdeck, readable by root only.',
    `URL=${plan.url.replace(/\/$/, '')}`,
    `KEY=${plan.key}`,
    ...(plan.vmid !== undefined ? [`VMID=${plan.vmid}`] : []),
    ...(plan.node !== undefined ? [`NODE=${plan.node}`] : []),
    '',
  ].join('\n');
}

/** Copied next to the agent and run as `sh <tmpdir>/install.sh <tmpdir>`; DESTDIR exists for tests that install into a scratch root. */
export const INSTALL_SCRIPT = `set -eu
d=$1
D=\${RACKDECK_DESTDIR:-}
case $d in /tmp/rackdeck-agent.*) ;; *) echo "bad folder" >&2; exit 2 ;; esac
mkdir -p "$D/usr/local/bin" "$D/etc"
install -m 0755 "$d/rackdeck-agent.sh" "$D/usr/local/bin/rackdeck-agent"
umask 077
install -m 0600 "$d/rackdeck-agent.conf" "$D/etc/rackdeck-agent.conf"
umask 022
if command -v systemctl >/dev/null 2>&1 && [ -d "$D/run/systemd/system" ]; then
  mkdir -p "$D/etc/systemd/system"
  install -m 0644 "$d/rackdeck-agent.service" "$D/etc/systemd/system/rackdeck-agent.service"
  install -m 0644 "$d/rackdeck-agent.timer" "$D/etc/systemd/system/rackdeck-agent.timer"
  rm -f "$D/etc/cron.d/rackdeck-agent"
  systemctl daemon-reload
  systemctl enable --now rackdeck-agent.timer
  echo "scheduler=systemd"
else
  mkdir -p "$D/etc/cron.d"
  printf '%s\\n' '# Rackdeck heartbeat agent: cron counts minutes, so two runs a minute make 30 s.' \\
    '* * * * * root /usr/local/bin/rackdeck-agent >/dev/null 2>&1; sleep 30; /usr/local/bin/rackdeck-agent >/dev/null 2>&1' \\
    > "$D/etc/cron.d/rackdeck-agent"
  chmod 0644 "$D/etc/cron.d/rackdeck-agent"
  echo "scheduler=cron"
fi
rm -rf "$d"
set +e
RACKDECK_AGENT_CONF="$D/etc/rackdeck-agent.conf" "$D/usr/local/bin/rackdeck-agent" 2>&1
echo "first_report=$?"
`;

export const REMOVE_SCRIPT = `set -u
D=\${RACKDECK_DESTDIR:-}
if command -v systemctl >/dev/null 2>&1 && [ -d "$D/run/systemd/system" ]; then
  systemctl disable --now rackdeck-agent.timer >/dev/null 2>&1 || true
fi
rm -f "$D/etc/systemd/system/rackdeck-agent.service" "$D/etc/systemd/system/rackdeck-agent.timer" \\
  "$D/etc/cron.d/rackdeck-agent" "$D/usr/local/bin/rackdeck-agent" "$D/etc/rackdeck-agent.conf"
if command -v systemctl >/dev/null 2>&1 && [ -d "$D/run/systemd/system" ]; then systemctl daemon-reload || true; fi
echo "removed=ok"
`;

/** POSIX single-quoting: the only character that needs care inside '…' is ' itself. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.slice(0, 300) ?? '';
}

async function preflight(shell: RemoteShell, steps: string[]): Promise<void> {
  const os = await shell.exec('uname -s', { timeoutMs: 15_000 });
  if (os.code !== 0 || os.stdout.trim() !== 'Linux') {
    throw new InstallError(
      'Install agent works on Linux hosts over SSH. For Windows, copy rackdeck-agent.ps1 and run it with -Install -Url … -Key …',
      steps,
    );
  }
  const http = await shell.exec('command -v curl || command -v wget', { timeoutMs: 15_000 });
  if (http.code !== 0 || http.stdout.trim() === '') throw new InstallError('The host has neither curl nor wget; install one of them first.', steps);
  steps.push(`Linux host with ${http.stdout.trim().split('\n')[0]}`);
}

export async function installAgent(deps: InstallerDeps, plan: InstallPlan): Promise<InstallOutcome> {
  const steps: string[] = [];
  const problem = validatePlan(plan);
  if (problem) throw new InstallError(`Cannot install: ${problem}.`, steps);
  const { shell } = deps;
  await preflight(shell, steps);

  const made = await shell.exec('mktemp -d /tmp/rackdeck-agent.XXXXXXXX', { timeoutMs: 15_000 });
  const dir = made.stdout.trim();
  if (made.code !== 0 || !TMP_RE.test(dir)) throw new InstallError(`Could not create a temporary folder on the host: ${firstLine(made.stderr || made.stdout)}`, steps);
  try {
    await shell.upload(deps.files.script, `${dir}/rackdeck-agent.sh`, 0o755);
    await shell.upload(deps.files.service, `${dir}/rackdeck-agent.service`, 0o644);
    await shell.upload(deps.files.timer, `${dir}/rackdeck-agent.timer`, 0o644);
    await shell.upload(agentConfig(plan), `${dir}/rackdeck-agent.conf`, 0o600);

    await shell.upload(INSTALL_SCRIPT, `${dir}/install.sh`, 0o700);
    steps.push('copied the agent, its timer and its config (mode 0600)');

    const run = await shell.exec(`${deps.sudo ? 'sudo -n ' : ''}sh ${dir}/install.sh ${dir}`, { timeoutMs: deps.timeoutMs ?? 60_000 });
    const scheduler = /scheduler=(systemd|cron)/.exec(run.stdout)?.[1] as 'systemd' | 'cron' | undefined;
    if (!scheduler) {
      const why = firstLine(run.stderr || run.stdout) || `exit code ${run.code}`;
      throw new InstallError(deps.sudo && /sudo/.test(why) ? `sudo refused (it must not ask for a password): ${why}` : `Installing failed: ${why}`, steps);
    }
    steps.push(scheduler === 'systemd' ? 'enabled rackdeck-agent.timer (systemd, every 30 s)' : 'installed /etc/cron.d/rackdeck-agent (no systemd; twice a minute)');

    const first = /first_report=(\d+)/.exec(run.stdout)?.[1];
    if (first !== '0') {
      const said = run.stdout.split('\n').filter((l) => l.startsWith('rackdeck-agent:')).join(' ') || `exit code ${first ?? '?'}`;
      throw new InstallError(`The agent is installed but its first report did not get through: ${said}`, steps);
    }
    steps.push('the agent sent its first report and the receiver accepted it');
    if (!deps.waitForHeartbeat) return { scheduler, steps };
    const at = await deps.waitForHeartbeat();
    if (at === undefined) throw new InstallError('The agent is installed, but no heartbeat reached this Rackdeck in time. Is the receiver URL the one this Rackdeck listens on?', steps);
    steps.push('the heartbeat arrived');
    return { scheduler, heartbeatAt: at, steps };
  } finally {
    // The install script removes the folder itself; this covers a failure before it ran.
    await shell.exec(`rm -rf ${dir}`, { timeoutMs: 15_000 }).catch(() => undefined);
  }
}

export async function removeAgent(deps: Pick<InstallerDeps, 'shell' | 'sudo'>): Promise<string[]> {
  // A constant script, so quoting it into the command builds nothing from input.
  const run = await deps.shell.exec(`${deps.sudo ? 'sudo -n ' : ''}sh -c ${shellQuote(REMOVE_SCRIPT)}`, { timeoutMs: 60_000 });
  if (!/removed=ok/.test(run.stdout)) throw new InstallError(`Removing the agent failed: ${firstLine(run.stderr || run.stdout) || `exit code ${run.code}`}`, []);
  return ['stopped the timer and removed the agent, its units, its cron entry and its config'];
}
