import type { HostMetrics } from '../hosts/metrics';
import type { LoginRecord } from '../hosts/logins';
import type { HostSpec, WakeOnMode } from '../hosts/spec';
import type { VirtualFs } from './vfs';

/** The power changes a command can ask for; the host carries them out after replying. */
export type PowerRequest = 'suspend' | 'hibernate' | 'poweroff' | 'reboot';

/** The cluster tools of a host that runs a node of the lab's Proxmox cluster. */
export interface PveTools {
  pveum(args: readonly string[]): CommandResult;
  /** "pve-manager/9.1.2/9a1c5e0f3d6b2f47": what pveversion prints for the cluster's release. */
  managerVersion?(): string;
}

/** What commands may see and change of the machine they run on. */
export interface MachineView {
  readonly spec: HostSpec;
  /** Counters advanced to now. */
  metrics(): HostMetrics;
  now(): number;
  /** Logged-in sessions, for `uptime`. */
  users(): number;
  /** utmp: the sessions that got a terminal, for `who`. */
  logins(): readonly LoginRecord[];
  wakeOn(nic: string): WakeOnMode | undefined;
  setWakeOn(nic: string, mode: WakeOnMode): void;
  /** Files written under /tmp, the home directory or (as root) elsewhere. */
  readonly scratch: Map<string, string>;
  /** When true, systemctl/shutdown need root (as with polkit's defaults for remote sessions). */
  powerNeedsRoot(): boolean;
  /** pveum and friends, while the host is a node of a running lab cluster. */
  pveTools?(): PveTools | undefined;
}

export interface ExecContext {
  readonly machine: MachineView;
  readonly user: string;
  /** Logged in as root, or running under sudo. */
  readonly root: boolean;
  readonly home: string;
  /** A login shell on a terminal (changes error prefixes and `ls` layout). */
  readonly interactive: boolean;
  readonly fs: VirtualFs;
  /** Looks a command up the way `command -v` does. */
  hasCommand(name: string): boolean;
  requestPower(request: PowerRequest): void;
}

export interface CommandResult {
  stdout: string;
  stderr: string;
  code: number;
}

export type Command = (args: readonly string[], ctx: ExecContext, stdin: string) => CommandResult | Promise<CommandResult>;
export type CommandTable = Readonly<Record<string, Command>>;

export function ok(stdout = ''): CommandResult {
  return { stdout, stderr: '', code: 0 };
}

export function fail(stderr: string, code = 1, stdout = ''): CommandResult {
  return { stdout, stderr, code };
}
