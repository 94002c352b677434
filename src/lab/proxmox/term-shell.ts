/**
 * The shell behind a simulated console: a prompt, echo of typed input with line editing, and
 * answers to a handful of everyday commands. Enough for a terminal client to be exercised end
 * to end; nothing is ever executed.
 */

export interface ShellIdentity {
  hostname: string;
  /** Kernel line for uname -a. */
  kernelRelease: string;
  kernelVersion: string;
  uptimeSec(): number;
  loadavg(): readonly number[];
  now(): number;
  /** Printed before the first prompt. */
  banner: readonly string[];
}

// eslint-disable-next-line no-control-regex -- terminal escape sequences start with ESC by definition
const ESC_SEQUENCE = /^\x1b(\[[0-9;?]*[ -/]*[@-~]|O.|.)/;

function formatUptime(sec: number): string {
  const days = Math.floor(sec / 86_400);
  const hours = Math.floor((sec % 86_400) / 3600);
  const minutes = Math.floor((sec % 3600) / 60);
  const hm = `${String(hours).padStart(2, ' ')}:${String(minutes).padStart(2, '0')}`;
  return days > 0 ? `${days} day${days === 1 ? '' : 's'}, ${hm}` : hm;
}

export class FakeShell {
  private line = '';
  private cols = 80;
  private rows = 24;
  /** "\r\n" is one Enter, not two. */
  private lastWasCr = false;

  constructor(
    private readonly id: ShellIdentity,
    private readonly write: (text: string) => void,
    private readonly close: () => void,
  ) {}

  private get prompt(): string {
    return `root@${this.id.hostname}:~# `;
  }

  start(): void {
    this.write(this.id.banner.map((l) => `${l}\r\n`).join('') + this.prompt);
  }

  resize(cols: number, rows: number): void {
    if (cols > 0) this.cols = cols;
    if (rows > 0) this.rows = rows;
  }

  input(data: string): void {
    let rest = data;
    while (rest.length > 0) {
      const esc = ESC_SEQUENCE.exec(rest);
      if (esc) {
        // Cursor keys and the like: no history or cursor movement in this shell.
        rest = rest.slice(esc[0].length);
        continue;
      }
      const ch = rest[0] ?? '';
      rest = rest.slice(1);
      const afterCr = this.lastWasCr;
      this.lastWasCr = ch === '\r';
      if (ch === '\r' || ch === '\n') {
        if (ch === '\n' && afterCr) continue;
        this.write('\r\n');
        const command = this.line;
        this.line = '';
        if (this.run(command.trim())) return;
        this.write(this.prompt);
      } else if (ch === '\x7f' || ch === '\b') {
        if (this.line.length > 0) {
          this.line = this.line.slice(0, -1);
          this.write('\b \b');
        }
      } else if (ch === '\x03') {
        this.line = '';
        this.write(`^C\r\n${this.prompt}`);
      } else if (ch === '\x04') {
        if (this.line.length === 0) {
          this.write('logout\r\n');
          this.close();
          return;
        }
      } else if (ch === '\x0c') {
        this.write(`\x1b[H\x1b[2J${this.prompt}${this.line}`);
      } else if (ch >= ' ') {
        this.line += ch;
        this.write(ch);
      }
    }
  }

  /** Runs one command line; returns true when the session ends. */
  private run(command: string): boolean {
    if (command === '') return false;
    const [name = '', ...args] = command.split(/\s+/);
    const out = (text: string): void => this.write(`${text}\r\n`);
    const { hostname } = this.id;
    switch (name) {
      case 'exit':
      case 'logout':
        this.write('logout\r\n');
        this.close();
        return true;
      case 'uname':
        if (args.includes('-a')) {
          out(`Linux ${hostname} ${this.id.kernelRelease} ${this.id.kernelVersion} x86_64 GNU/Linux`);
        } else if (args.includes('-r')) out(this.id.kernelRelease);
        else if (args.includes('-n')) out(hostname);
        else out('Linux');
        return false;
      case 'hostname':
        out(hostname);
        return false;
      case 'echo':
        out(args.join(' ').replace(/^["']|["']$/g, ''));
        return false;
      case 'whoami':
        out('root');
        return false;
      case 'id':
        out('uid=0(root) gid=0(root) groups=0(root)');
        return false;
      case 'pwd':
        out('/root');
        return false;
      case 'ls':
        return false;
      case 'date':
        out(new Date(this.id.now()).toUTCString().replace('GMT', 'UTC'));
        return false;
      case 'uptime': {
        const time = new Date(this.id.now()).toISOString().slice(11, 19);
        const load = this.id.loadavg().map((v) => v.toFixed(2)).join(', ');
        out(` ${time} up ${formatUptime(this.id.uptimeSec())},  1 user,  load average: ${load}`);
        return false;
      }
      case 'stty':
        if (args[0] === 'size') out(`${this.rows} ${this.cols}`);
        return false;
      case 'clear':
        this.write('\x1b[H\x1b[2J');
        return false;
      default:
        out(`-bash: ${name}: command not found`);
        return false;
    }
  }
}
