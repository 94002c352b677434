import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { runCli } from '../../src/main/faces/cli/main';

/**
 * A fresh temporary home for every test of the calling file, and `cli(...)` running the CLI
 * in-process on it with its output captured.
 */
export function useCliHome(prefix: string) {
  const state = { home: '' };
  beforeEach(() => {
    state.home = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  });
  afterEach(() => fs.rmSync(state.home, { recursive: true, force: true }));
  const cli = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli([...argv, '--home', state.home], { out: (l) => out.push(l), err: (l) => err.push(l), env: {} });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  return { cli, home: () => state.home };
}
