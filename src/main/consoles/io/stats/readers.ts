import type { LiveStats } from '../../../../shared/contract/consoles';
import type { Clock } from '../../../base/clock';
import { apiPath } from '../../../drivers/proxmox/api';
import { nodeStatus } from '../../../drivers/proxmox/nodes';
import { guestStatusSchema } from '../../../drivers/proxmox/model/parse';
import type { SshTarget } from '../../../drivers/ssh';
import type { StatsReader } from '../../backend';
import { ConsoleError } from '../../errors';
import type { ProxmoxConsoleTarget } from '../../ports';
import type { ConsoleSshConnections, SshLease } from '../ssh/connections';
import { openExecChannel } from '../ssh/channel-source';
import { parseStatsOutput, sampleFromReadings, STATS_COMMAND, type ProcReading } from '../../stats/proc-sample';
import { sampleFromGuest, sampleFromNode, type GuestReading } from '../../stats/proxmox-sample';

const MAX_OUTPUT = 1 << 20;

/** Runs a fixed command on a leased connection and returns its standard output (bounded, with a deadline). */
export async function collectOutput(lease: SshLease, command: string, clock: Clock, timeoutMs: number): Promise<string> {
  const channel = await openExecChannel(lease, command);
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = clock.setTimeout(() => {
      channel.close();
      reject(new ConsoleError('failed', `The stats command did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    channel.on('data', (chunk: Buffer) => {
      if (size < MAX_OUTPUT) chunks.push(chunk.subarray(0, MAX_OUTPUT - size));
      size += chunk.length;
    });
    channel.stderr.resume();
    channel.on('error', () => undefined);
    channel.on('close', () => {
      clock.clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}

/** A host's stats from /proc over SSH, on one connection held for the life of the view. */
export class SshStatsReader implements StatsReader {
  private lease: Promise<SshLease> | undefined;
  private prev: ProcReading | undefined;
  private closed = false;

  constructor(
    private readonly connections: ConsoleSshConnections,
    private readonly target: () => SshTarget,
    private readonly label: string,
    private readonly clock: Clock,
  ) {}

  async read(): Promise<LiveStats> {
    if (!this.lease) {
      const pending = this.connections.acquire(this.target(), this.label);
      this.lease = pending;
      const forget = () => {
        if (this.lease === pending) this.lease = undefined;
      };
      pending.then((l) => l.onLost(forget), forget);
    }
    const lease = await this.lease;
    if (this.closed) {
      lease.release();
      throw new ConsoleError('failed', 'closed');
    }
    let output: string;
    try {
      output = await collectOutput(lease, STATS_COMMAND, this.clock, 10_000);
    } catch (error) {
      // A broken connection is opened again at the next reading.
      this.lease = undefined;
      lease.release();
      throw error;
    }
    const reading = parseStatsOutput(output);
    const sample = sampleFromReadings(this.prev, reading, this.clock.now());
    this.prev = reading;
    return sample;
  }

  close(): void {
    this.closed = true;
    const lease = this.lease;
    this.lease = undefined;
    void lease?.then((l) => l.release()).catch(() => undefined);
  }
}

/** A guest's (or an SSH-less node's) stats from the Proxmox API. */
export class ProxmoxStatsReader implements StatsReader {
  private prev: GuestReading | undefined;

  constructor(
    private readonly target: () => Promise<ProxmoxConsoleTarget>,
    private readonly clock: Clock,
    private readonly release: () => void = () => undefined,
  ) {}

  async read(): Promise<LiveStats> {
    const t = await this.target();
    if (!t.guest) return sampleFromNode(await nodeStatus(t.api, t.node), this.clock.now());
    const status = await t.api.get(apiPath`/nodes/${t.node}/${t.guest.type}/${t.guest.vmid}/status/current`, guestStatusSchema);
    const cur = { at: this.clock.now(), status };
    const sample = sampleFromGuest(this.prev, cur);
    this.prev = cur;
    return sample;
  }

  close(): void {
    this.release();
  }
}
