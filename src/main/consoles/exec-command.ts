import { commandProblem, logFileProblem, serviceNameProblem, type ParsedExecSpec } from '../../shared/contract/consoles';
import { ConsoleError } from './errors';

/** POSIX single quotes: the only character that needs care inside them is the quote itself. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The remote command line for a streamed command. Service and file names are checked again here
 * (whatever the contract let through) against the strict allow-patterns, then quoted: a name
 * never becomes shell syntax. A free command is the admin's own line, run as typed.
 */
export function execCommandLine(spec: ParsedExecSpec): string {
  switch (spec.type) {
    case 'command': {
      const problem = commandProblem(spec.command);
      if (problem) throw new ConsoleError('bad_request', `Refused: ${problem}`);
      return spec.command;
    }
    case 'journal': {
      const problem = serviceNameProblem(spec.service);
      if (problem) throw new ConsoleError('bad_request', `Refused: ${problem}`);
      const lines = checkedLines(spec.lines);
      return `journalctl --no-pager -o short-iso -n ${lines}${spec.follow ? ' -f' : ''} -u ${shellQuote(spec.service)}`;
    }
    case 'tail': {
      const problem = logFileProblem(spec.file);
      if (problem) throw new ConsoleError('bad_request', `Refused: ${problem}`);
      const lines = checkedLines(spec.lines);
      // -F follows the file across log rotation, as an admin expects of "tail -f" on a log.
      return `tail -n ${lines}${spec.follow ? ' -F' : ''} -- ${shellQuote(spec.file)}`;
    }
  }
}

function checkedLines(n: number): number {
  if (!Number.isInteger(n) || n < 0 || n > 10_000) throw new ConsoleError('bad_request', 'Refused: lines is a whole number from 0 to 10000');
  return n;
}
