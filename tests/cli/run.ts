import { runCli } from '../../src/main/faces/cli/main';

/** One CLI invocation in this process against `home`, its output lines joined, as a test reads it. */
export async function runCliIn(home: string, argv: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli([...argv, '--home', home], { out: (l) => void out.push(l), err: (l) => void err.push(l), env: {} });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
