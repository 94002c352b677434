import { randomBytes } from 'node:crypto';
import type { Readable, Writable } from 'node:stream';
import type { RackdeckClient } from '../../../../shared/contract';
import type { ConsoleClosed, ConsoleData, ConsoleInfo, ExecSpec } from '../../../../shared/contract/consoles';
import { intOption, onePositional, parse, UsageError } from '../args';
import type { Command } from '../command';
import { ensureHostKey } from '../host-key-check';

/** The terminal the CLI runs in; tests pass streams of their own. */
export interface TerminalIo {
  stdin: Readable & { isTTY?: boolean; setRawMode?(raw: boolean): unknown };
  stdout: Writable & { columns?: number; rows?: number; isTTY?: boolean };
  stderr: Writable;
  /** Calls `listener` when the terminal is resized (SIGWINCH); returns the unsubscribe. */
  onResize(listener: () => void): () => void;
}

export const processTerminal: TerminalIo = {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  onResize(listener) {
    process.on('SIGWINCH', listener);
    return () => void process.off('SIGWINCH', listener);
  },
};

/** Exit code when the connection itself failed (as ssh does). */
const CONNECTION_FAILED = 255;

/**
 * Follows one session's events: writes each chunk to its stream, acknowledges once the stream
 * took it (so a slow terminal or a full pipe holds the remote side back), and resolves with
 * the end. Events that come before the session's id is known are kept and replayed.
 */
function follow(client: RackdeckClient, out: { stdout: Writable; stderr: Writable }) {
  const early: ConsoleData[] = [];
  let info: ConsoleInfo | undefined;
  let earlyEnd: ConsoleClosed | undefined;
  let pendingAck = 0;
  let ackTimer: NodeJS.Timeout | undefined;
  let finish: (end: ConsoleClosed) => void = () => undefined;
  const ended = new Promise<ConsoleClosed>((resolve) => (finish = resolve));

  const sendAck = () => {
    if (ackTimer) clearTimeout(ackTimer);
    ackTimer = undefined;
    if (!info || pendingAck === 0) return;
    const bytes = pendingAck;
    pendingAck = 0;
    void client.consoles.ack({ sessionId: info.sessionId, bytes }).catch(() => undefined);
  };
  const consumed = (bytes: number) => {
    pendingAck += bytes;
    if (info && pendingAck >= info.flow.ackEvery) sendAck();
    else ackTimer ??= setTimeout(sendAck, 50);
  };
  const deliver = (d: ConsoleData) => {
    const buf = Buffer.from(d.data, 'base64');
    (d.stream === 'stderr' ? out.stderr : out.stdout).write(buf, () => consumed(d.bytes));
  };
  const offData = client.on('console.data', (d) => {
    if (info ? d.sessionId === info.sessionId : true) {
      if (info) deliver(d);
      else early.push(d);
    }
  });
  const offClosed = client.on('console.closed', (c) => {
    if (!info) earlyEnd ??= c;
    else if (c.sessionId === info.sessionId) finish(c);
  });
  return {
    ended,
    started(opened: ConsoleInfo) {
      info = opened;
      for (const d of early.splice(0)) if (d.sessionId === opened.sessionId) deliver(d);
      if (earlyEnd?.sessionId === opened.sessionId) finish(earlyEnd);
    },
    dispose() {
      sendAck();
      offData();
      offClosed();
    },
  };
}

function newOwner(): string {
  return `cli-${process.pid}-${randomBytes(6).toString('hex')}`;
}

/** Sessions of a window that stops showing signs of life are closed; the CLI is such a window. */
function keepAlive(client: RackdeckClient, owner: string): () => void {
  const timer = setInterval(() => void client.consoles.keepalive({ owner }).catch(() => undefined), 20_000);
  timer.unref();
  return () => clearInterval(timer);
}

export function makeSshCommand(term: TerminalIo): Command {
  return {
    name: 'ssh',
    summary: 'open an interactive shell on a server (SSH, or its Proxmox shell)',
    usage: `rackdeck ssh <server> [--proxmox] [--accept-new]

Opens a shell on the server in this terminal, over SSH with the pinned host key. The exit
code is the shell's (255 when the connection or the host key check failed).
  --proxmox      a Proxmox node's shell or a container's console (termproxy) instead of SSH
  --accept-new   pin the server's key if none is pinned yet (StrictHostKeyChecking=accept-new);
                 without it, a terminal is asked as ssh asks, and a script is refused`,
    async run(argv, ctx) {
      const { values, positionals } = parse(argv, { proxmox: { type: 'boolean' }, 'accept-new': { type: 'boolean' } });
      const ref = onePositional(positionals, 'server');
      const { client } = ctx.open();
      if (!values.proxmox) {
        const stop = await ensureHostKey(client, ref, term, { acceptNew: values['accept-new'] === true, command: 'rackdeck ssh' });
        if (stop !== undefined) return stop;
      }
      const owner = newOwner();
      const size = () => ({ cols: clamp(term.stdout.columns ?? 80, 2, 1000), rows: clamp(term.stdout.rows ?? 24, 1, 500) });
      const session = follow(client, term);
      const stopKeepAlive = keepAlive(client, owner);
      let info: ConsoleInfo;
      try {
        info = await client.consoles.open({ serverId: ref, kind: values.proxmox ? 'proxmox-term' : 'ssh-shell', owner, ...size() });
      } catch (error) {
        session.dispose();
        stopKeepAlive();
        throw error;
      }
      session.started(info);
      const raw = term.stdin.isTTY === true && typeof term.stdin.setRawMode === 'function';
      if (raw) term.stdin.setRawMode?.(true);
      const onInput = (chunk: Buffer | string) => {
        const data = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, 'utf8');
        void client.consoles.write({ sessionId: info.sessionId, data: data.toString('base64'), encoding: 'base64' }).catch(() => undefined);
      };
      const onInputEnd = () => void client.consoles.close({ sessionId: info.sessionId }).catch(() => undefined);
      term.stdin.on('data', onInput);
      term.stdin.once('end', onInputEnd);
      term.stdin.resume();
      const offResize = term.onResize(() => void client.consoles.resize({ sessionId: info.sessionId, ...size() }).catch(() => undefined));
      const end = await session.ended;
      offResize();
      term.stdin.off('data', onInput);
      term.stdin.off('end', onInputEnd);
      if (raw) term.stdin.setRawMode?.(false);
      term.stdin.pause();
      session.dispose();
      stopKeepAlive();
      // The shell's own exit code speaks for itself; only a lost connection needs words.
      if (end.error && end.exitCode === undefined) ctx.io.err(`rackdeck ssh: ${end.reason}`);
      return end.exitCode ?? (end.error ? CONNECTION_FAILED : 0);
    },
  };
}

export function makeExecCommand(term: TerminalIo): Command {
  return {
    name: 'exec',
    summary: 'run a command on a server and stream its output',
    usage: `rackdeck exec <server> [--journal SERVICE | --tail FILE] [--lines N] [--no-follow] [--accept-new] [-- COMMAND...]

Runs COMMAND on the server over SSH and streams its output (standard error to standard
error); the exit code is the command's (255 when the connection or the host key check failed).
  --journal SERVICE   follow a service's log: journalctl -u SERVICE -f
  --tail FILE         follow a log file under /var/log: tail -F FILE
  --lines N           lines of history to start with (default 100)
  --no-follow         print and exit instead of following
  --accept-new        pin the server's key if none is pinned yet (StrictHostKeyChecking=accept-new);
                      without it, a terminal is asked as ssh asks, and a script is refused`,
    async run(argv, ctx) {
      const dash = argv.indexOf('--');
      const own = dash < 0 ? argv : argv.slice(0, dash);
      const words = dash < 0 ? [] : argv.slice(dash + 1);
      const { values, positionals } = parse(own, { journal: { type: 'string' }, tail: { type: 'string' }, lines: { type: 'string' }, 'no-follow': { type: 'boolean' }, 'accept-new': { type: 'boolean' } });
      const ref = onePositional(positionals, 'server');
      const lines = intOption(values.lines, 'lines', 0, 10_000);
      const follow_ = !values['no-follow'];
      const chosen = [values.journal !== undefined, values.tail !== undefined, words.length > 0].filter(Boolean).length;
      if (chosen !== 1) throw new UsageError('give exactly one of --journal SERVICE, --tail FILE or -- COMMAND');
      const spec: ExecSpec =
        values.journal !== undefined
          ? { type: 'journal', service: values.journal, follow: follow_, ...(lines !== undefined ? { lines } : {}) }
          : values.tail !== undefined
            ? { type: 'tail', file: values.tail, follow: follow_, ...(lines !== undefined ? { lines } : {}) }
            : { type: 'command', command: words.join(' ') };
      const { client } = ctx.open();
      const stop = await ensureHostKey(client, ref, term, { acceptNew: values['accept-new'] === true, command: 'rackdeck exec' });
      if (stop !== undefined) return stop;
      const owner = newOwner();
      const session = follow(client, term);
      const stopKeepAlive = keepAlive(client, owner);
      let info: ConsoleInfo;
      try {
        info = await client.consoles.exec({ serverId: ref, owner, spec });
      } catch (error) {
        session.dispose();
        stopKeepAlive();
        throw error;
      }
      session.started(info);
      // Ctrl-C stops the remote command (the session closes) instead of leaving it running.
      const onSigint = () => void client.consoles.close({ sessionId: info.sessionId }).catch(() => undefined);
      process.once('SIGINT', onSigint);
      const end = await session.ended;
      process.off('SIGINT', onSigint);
      session.dispose();
      stopKeepAlive();
      // Everything written reaches the terminal or the pipe before the exit code is returned.
      await Promise.all([drained(term.stdout), drained(term.stderr)]);
      if (end.error && end.exitCode === undefined) ctx.io.err(`rackdeck exec: ${end.reason}`);
      return end.exitCode ?? (end.error ? CONNECTION_FAILED : 0);
    },
  };
}

function drained(stream: Writable): Promise<void> {
  return new Promise((resolve) => {
    if (!stream.writableNeedDrain) resolve();
    else stream.once('drain', () => resolve());
  });
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.trunc(n)));
}

export const sshCommand = makeSshCommand(processTerminal);
export const execCommand = makeExecCommand(processTerminal);
