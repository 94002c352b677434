import type * as Ssh2 from 'ssh2';

/**
 * ssh2, loaded at the first SSH connection rather than with the engine: Node's compiling and
 * running its CommonJS files took ~75 ms of CPU at every start, before `serve` printed its URL
 * (issue 16), and most starts open no SSH session for minutes. Loaded once.
 */
let loading: Promise<typeof Ssh2> | undefined;

export function loadSsh2(): Promise<typeof Ssh2> {
  return (loading ??= import('ssh2'));
}
