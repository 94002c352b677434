/**
 * A line discipline for interactive shell channels: echo, backspace, ^C, ^U, ^D, and CRLF on
 * output when a pty was requested. Without a pty it behaves like `ssh -T`: no prompt, no echo,
 * one command per line. Lines typed while a command runs are queued, as a tty buffers them.
 */
export interface TerminalIo {
  write(text: string): void;
  close(code: number): void;
}

export interface LineResult {
  output: string;
  exited: boolean;
  code: number;
}

export interface TerminalOptions {
  pty: boolean;
  banner: string;
  prompt(): string;
  run(line: string): Promise<LineResult>;
}

export class LineTerminal {
  private line = '';
  private queue: Promise<void> = Promise.resolve();
  private closed = false;
  private lastCode = 0;
  private escape = 0;

  constructor(private readonly io: TerminalIo, private readonly options: TerminalOptions) {}

  start(): void {
    if (!this.options.pty) return;
    this.write(this.options.banner);
    this.write(this.options.prompt());
  }

  input(chunk: Buffer | string): void {
    for (const ch of chunk.toString('utf8')) {
      if (this.closed) return;
      this.key(ch);
    }
  }

  /** The client closed its side (end of a piped script). */
  end(): void {
    if (this.options.pty) return;
    if (this.line !== '') this.submit();
    this.queue = this.queue.then(() => this.finish(this.lastCode));
  }

  private key(ch: string): void {
    // Skip ANSI escape sequences (arrow keys): ESC, '[', then one final byte.
    if (this.escape > 0) {
      if (this.escape === 1 && (ch === '[' || ch === 'O')) this.escape = 2;
      else this.escape = ch >= '@' && ch <= '~' ? 0 : this.escape;
      return;
    }
    if (!this.options.pty) {
      if (ch === '\n') this.submit();
      else if (ch !== '\r') this.line += ch;
      return;
    }
    switch (ch) {
      case '\x1b':
        this.escape = 1;
        return;
      case '\r':
      case '\n':
        this.write('\r\n');
        this.submit();
        return;
      case '\x7f':
      case '\b':
        if (this.line.length > 0) {
          this.line = this.line.slice(0, -1);
          this.write('\b \b');
        }
        return;
      case '\x03':
        this.line = '';
        this.write('^C\r\n');
        this.write(this.options.prompt());
        return;
      case '\x15':
        this.write('\b \b'.repeat(this.line.length));
        this.line = '';
        return;
      case '\x04':
        if (this.line === '') {
          this.write('logout\r\n');
          this.queue = this.queue.then(() => this.finish(this.lastCode));
        }
        return;
      case '\t':
        return;
      default:
        if (ch >= ' ') {
          this.line += ch;
          this.write(ch);
        }
    }
  }

  private submit(): void {
    const line = this.line;
    this.line = '';
    this.queue = this.queue.then(async () => {
      if (this.closed) return;
      if (line.trim() === '') {
        if (this.options.pty) this.write(this.options.prompt());
        return;
      }
      const result = await this.options.run(line);
      this.lastCode = result.code;
      this.write(result.output);
      if (result.exited) {
        if (this.options.pty) this.write('logout\r\n');
        this.finish(result.code);
        return;
      }
      if (this.options.pty) this.write(this.options.prompt());
    });
  }

  private finish(code: number): void {
    if (this.closed) return;
    this.closed = true;
    this.io.close(code);
  }

  private write(text: string): void {
    if (this.closed || text === '') return;
    this.io.write(this.options.pty ? text.replace(/\r?\n/g, '\r\n') : text);
  }
}
