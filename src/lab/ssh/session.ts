import type { PseudoTtyInfo, ServerChannel, Session } from 'ssh2';
import { createSession, runScript, stdoutOf, stderrOf, type RunResult } from '../shell/interpreter';
import { shellFor } from '../shell/shells';
import type { SshHostBinding } from './host-binding';
import { LineTerminal } from './terminal';
import { loginBanner, promptFor } from './login';

/**
 * One SSH session channel: pty / env / window-change requests, then exec or shell. Exec runs the
 * command line through the lab's interpreter and reports the exit status; a power request is
 * carried out only once the channel has been closed, so the caller always gets its answer.
 */
export function serveSession(session: Session, host: SshHostBinding, user: string, from = '127.0.0.1'): void {
  let pty: PseudoTtyInfo | undefined;
  // accept/reject are undefined when the client did not ask for a reply (OpenSSH's env requests).
  session.on('pty', (accept, _reject, info) => {
    pty = info;
    reply(accept);
  });
  session.on('env', (accept) => reply(accept));
  session.on('window-change', (accept) => reply(accept));
  session.on('signal', (accept) => reply(accept));
  session.on('auth-agent', (_accept, reject) => reply(reject));
  session.on('x11', (_accept, reject) => reply(reject));
  session.on('subsystem', (_accept, reject) => reply(reject));
  session.on('sftp', (_accept, reject) => reply(reject));
  session.on('exec', (accept, _reject, info) => {
    const channel = accept();
    // sshd writes utmp only for sessions with a terminal: `ssh -t host cmd` shows in `who`, `ssh host cmd` does not.
    if (pty) endLoginOn(channel, host.loginStarted(user, from));
    void runExec(channel, info.command, host, user, pty !== undefined);
  });
  session.on('shell', (accept) => {
    const channel = accept();
    if (pty) endLoginOn(channel, host.loginStarted(user, from));
    runShell(channel, host, user, pty !== undefined);
  });
}

function endLoginOn(channel: ServerChannel, end: () => void): void {
  channel.on('close', end);
}

function reply(answer: (() => void) | undefined): void {
  answer?.();
}

async function runExec(channel: ServerChannel, command: string, host: SshHostBinding, user: string, pty: boolean): Promise<void> {
  const state = createSession(host.machine, user, false);
  let result: RunResult;
  try {
    result = await runScript(command, shellFor(host.spec), state);
  } catch {
    result = { output: [{ fd: 2, text: 'bash: internal error\n' }], code: 1, exited: false };
  }
  const slow = host.faults().slowMs;
  if (slow > 0) await host.delay(slow);
  if (channel.destroyed) return;
  if (pty) {
    // A terminal merges both streams in order and turns \n into \r\n.
    channel.write(result.output.map((c) => c.text).join('').replace(/\r?\n/g, '\r\n'));
  } else {
    const out = stdoutOf(result);
    const err = stderrOf(result);
    if (out !== '') channel.write(out);
    if (err !== '') channel.stderr.write(err);
  }
  channel.exit(result.code);
  channel.end();
  const power = result.power;
  if (power) setImmediate(() => host.requestPower(power));
}

function runShell(channel: ServerChannel, host: SshHostBinding, user: string, pty: boolean): void {
  const state = createSession(host.machine, user, pty);
  const shell = shellFor(host.spec);
  const terminal = new LineTerminal(
    {
      write: (text) => {
        if (!channel.destroyed) channel.write(text);
      },
      close: (code) => {
        if (channel.destroyed) return;
        channel.exit(code);
        channel.end();
      },
    },
    {
      pty,
      banner: loginBanner(host.spec),
      prompt: () => promptFor(host.spec, user),
      run: async (line) => {
        const result = await runScript(line, shell, state);
        const slow = host.faults().slowMs;
        if (slow > 0) await host.delay(slow);
        const power = result.power;
        if (power) setImmediate(() => host.requestPower(power));
        return { output: result.output.map((c) => c.text).join(''), exited: result.exited, code: result.code };
      },
    },
  );
  channel.on('data', (chunk: Buffer) => terminal.input(chunk));
  channel.on('end', () => terminal.end());
  channel.on('error', () => undefined);
  terminal.start();
}
