import type { ClientChannel } from 'ssh2';
import { DataFan, EndSignal, type ConsoleSource, type OutputStream, type SourceEnd } from '../../source';
import type { SshLease } from './connections';

export interface ChannelSourceOptions {
  /** What the session is, for the closing words: "The shell", "journalctl". */
  what: string;
  /** Terminals take window-change requests; commands do not. */
  terminal: boolean;
}

/**
 * An ssh2 session channel (a shell with a pty, or an exec) as a console source. Pausing the
 * channel stops ssh2 from widening the SSH window, so the remote side is held back too.
 */
export class SshChannelSource implements ConsoleSource {
  private readonly fan = new DataFan();
  private readonly end = new EndSignal();
  private exit: { code?: number; signal?: string } | undefined;
  private closing = false;

  constructor(
    private readonly channel: ClientChannel,
    private readonly lease: SshLease,
    private readonly options: ChannelSourceOptions,
  ) {
    channel.on('data', (chunk: Buffer) => this.fan.emit(chunk, 'stdout'));
    channel.stderr.on('data', (chunk: Buffer) => this.fan.emit(chunk, options.terminal ? 'stdout' : 'stderr'));
    channel.on('exit', (code: number | null, signal?: string) => {
      this.exit = { ...(typeof code === 'number' ? { code } : {}), ...(signal ? { signal } : {}) };
    });
    channel.on('error', () => undefined);
    channel.on('close', () => this.finish());
    lease.onLost((why) => this.finish({ reason: capitalise(why), error: true }));
  }

  write(data: Buffer): void {
    if (!this.end.ended) this.channel.write(data);
  }

  resize(cols: number, rows: number): void {
    if (this.options.terminal && !this.end.ended) this.channel.setWindow(rows, cols, 0, 0);
  }

  onData(listener: (chunk: Buffer, stream: OutputStream) => void): void {
    this.fan.on(listener);
  }

  onClose(listener: (end: SourceEnd) => void): void {
    this.end.on(listener);
  }

  pause(): void {
    this.channel.pause();
    this.channel.stderr.pause();
  }

  resume(): void {
    this.channel.resume();
    this.channel.stderr.resume();
  }

  close(): void {
    if (this.end.ended) return;
    this.closing = true;
    // A command left running would go on writing into a closed view: ask it to stop first
    // (servers that do not take signal requests end it with the channel anyway).
    if (!this.options.terminal) {
      try {
        this.channel.signal('TERM');
      } catch {
        // the channel is already going away
      }
    }
    this.channel.close();
    this.finish();
  }

  private finish(forced?: SourceEnd): void {
    if (this.end.ended) return;
    this.lease.release();
    if (forced) return this.end.fire(forced);
    if (this.closing) return this.end.fire({ reason: 'Closed', error: false });
    const exit = this.exit;
    if (exit?.signal) return this.end.fire({ reason: `${this.options.what} was ended by signal ${exit.signal}`, error: true, signal: exit.signal });
    if (exit?.code !== undefined) {
      return this.end.fire({ reason: `${this.options.what} exited${exit.code === 0 ? '' : ` with code ${exit.code}`}`, error: exit.code !== 0, exitCode: exit.code });
    }
    this.end.fire({ reason: `${this.options.what} ended`, error: false });
  }
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Opens a shell with a pty of the given size. */
export function openShellChannel(lease: SshLease, size: { cols: number; rows: number }): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    lease.client.shell({ term: 'xterm-256color', cols: size.cols, rows: size.rows }, (error, channel) => (error ? reject(error) : resolve(channel)));
  });
}

/** Opens an exec channel without a pty: standard output and error stay apart, the exit code is reported. */
export function openExecChannel(lease: SshLease, command: string): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    lease.client.exec(command, (error, channel) => (error ? reject(error) : resolve(channel)));
  });
}
