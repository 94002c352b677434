import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { homeFirst, runCli } from '../../src/main/faces/cli/main';

/** `--home DIR` named before the command works as it does after it (a user types it either way). */
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-home-first-'));
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => void out.push(l), err: (l) => void err.push(l), env: {} });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('a home named before the command', () => {
  it('moves behind the command name, in both spellings; anything else is left as typed', () => {
    expect(homeFirst(['--home', '/h', 'add', 'x'])).toEqual(['add', '--home', '/h', 'x']);
    expect(homeFirst(['--home=/h', 'list', '--json'])).toEqual(['list', '--home=/h', '--json']);
    expect(homeFirst(['exec', 'box', '--', '--home', '/remote'])).toEqual(['exec', 'box', '--', '--home', '/remote']);
    expect(homeFirst(['--home', '/h'])).toEqual(['--home', '/h']);
  });

  it('adds to and lists that home', async () => {
    expect((await run(['--home', home, 'add', 'first', '--address', '127.0.48.1'])).code).toBe(0);
    const listed = await run([`--home=${home}`, 'list', '--json']);
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.out) as Array<{ name: string }>).map((s) => s.name)).toEqual(['first']);
    expect(JSON.parse(fs.readFileSync(path.join(home, 'config.json'), 'utf8')).servers).toHaveLength(1);
  });
});
