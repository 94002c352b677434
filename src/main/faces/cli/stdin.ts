import type { CliIo } from './command';

/**
 * A secret read from standard input (`--password-stdin`, `--token-stdin`…): a secret on the
 * command line would be world-readable in /proc and land in the shell's history. One trailing
 * newline is dropped; on a terminal, the first line ends it.
 */
export async function readStdin(io: CliIo, what = 'Password'): Promise<string> {
  if (io.stdin) return (await io.stdin()).replace(/\r?\n$/, '');
  const stdin = process.stdin;
  if (stdin.isTTY) io.err(`${what} (input is shown; pipe it in to hide it): `);
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) {
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    if (stdin.isTTY && Buffer.concat(chunks).includes(10)) break;
  }
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}
