/**
 * The bin ends the process as soon as a command that ran an engine of its own has stopped it
 * (entry.ts): runCliWith says when that is, and only then.
 */
import { describe, expect, it } from 'vitest';
import { runCliWith } from '../../src/main/faces/cli/main';
import { useCliHome } from './cli-home';

const { home } = useCliHome('rackdeck-ended-');

async function run(...argv: string[]) {
  const ended = { engine: true };
  const out: string[] = [];
  const code = await runCliWith([...argv, '--home', home()], { out: (l) => void out.push(l), err: () => undefined, env: {} }, ended);
  return { code, engine: ended.engine, out: out.join('\n') };
}

describe('runCliWith', () => {
  it('says the command ran and stopped an engine of its own when no engine answered', async () => {
    const listed = await run('list', '--json');
    expect(listed).toEqual({ code: 0, engine: true, out: '[]' });
  });

  it('says nothing of the kind when the command never reached an engine', async () => {
    expect((await run('list', '--bogus')).engine).toBe(false);
    expect((await run('list', '--help')).engine).toBe(false);
  });
});
