import type { Clock } from '../../../base/clock';
import type { SshTarget } from '../../../drivers/ssh';
import type { StatsReader, TerminalSize } from '../../backend';
import { ConsoleError } from '../../errors';
import type { SshConsoles } from '../../ports';
import type { ConsoleSource } from '../../source';
import { SshStatsReader } from '../stats/readers';
import { openExecChannel, openShellChannel, SshChannelSource } from './channel-source';
import { ConsoleSshConnections, type ConnectionsOptions, type SshLease } from './connections';

export interface SshConsolesOptions extends ConnectionsOptions {
  clock: Clock;
}

/** The SshConsoles port over ssh2: one shared connection per (user, host, port), a channel per session. */
export class SshConsoleAdapter implements SshConsoles {
  readonly connections: ConsoleSshConnections;

  constructor(private readonly options: SshConsolesOptions) {
    this.connections = new ConsoleSshConnections(options);
  }

  async openShell(target: SshTarget, label: string, size: TerminalSize): Promise<ConsoleSource> {
    const lease = await this.connections.acquire(target, label);
    const channel = await withLease(lease, () => openShellChannel(lease, size));
    return new SshChannelSource(channel, lease, { what: 'The shell', terminal: true });
  }

  async openExec(target: SshTarget, label: string, command: string, what: string): Promise<ConsoleSource> {
    const lease = await this.connections.acquire(target, label);
    const channel = await withLease(lease, () => openExecChannel(lease, command));
    return new SshChannelSource(channel, lease, { what, terminal: false });
  }

  statsReader(target: () => SshTarget, label: string): StatsReader {
    return new SshStatsReader(this.connections, target, label, this.options.clock);
  }

  closeAll(): void {
    this.connections.closeAll();
  }
}

/** A channel the server would not open gives its connection back at once. */
async function withLease<T>(lease: SshLease, open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (error) {
    lease.release();
    throw new ConsoleError('failed', `The server refused the channel: ${error instanceof Error ? error.message : String(error)}`);
  }
}
