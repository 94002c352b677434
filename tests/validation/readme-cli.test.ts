import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allCommands } from '../../src/main/faces/cli/commands';

/**
 * README's CLI section and each command's `--help` say the same: every command is listed, and
 * the options the README gives a command are exactly those its usage names (`--home` and
 * `--help`, which every command takes, apart). An entry is a line starting `rackdeck NAME[|NAME…]`
 * with the indented lines under it; `[the options of add]` stands for add's.
 */
const README = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
const OPTION = /--(?:\[no-\])?([A-Za-z][A-Za-z0-9-]*)/g;
const COMMON = new Set(['home', 'help']);

function optionsIn(text: string): Set<string> {
  return new Set([...text.matchAll(OPTION)].map((m) => m[1] as string).filter((o) => !COMMON.has(o)));
}

function readmeEntries(): Map<string, string[]> {
  const section = README.slice(README.indexOf('## The CLI'));
  const block = /```\n([\s\S]*?)```/.exec(section.slice(0, section.indexOf('\n## ', 3)))?.[1] ?? '';
  const entries = new Map<string, string[][]>();
  let current: string[] | undefined;
  for (const line of block.split('\n')) {
    const head = /^rackdeck (\S+)/.exec(line);
    if (head) {
      current = [line];
      for (const name of (head[1] as string).split('|')) entries.set(name, [...(entries.get(name) ?? []), current]);
    } else if (current && /^\s+\S/.test(line)) current.push(line);
    else current = undefined;
  }
  return new Map([...entries].map(([name, list]) => [name, list.map((lines) => lines.join('\n'))]));
}

describe("README's CLI section matches every command's --help", () => {
  it('lists every command, each with exactly the options of its usage', async () => {
    const entries = readmeEntries();
    const commands = await allCommands();
    const problems: string[] = [];
    const readmeOptions = (name: string): Set<string> => {
      const texts = entries.get(name) ?? [];
      const out = new Set<string>();
      for (const text of texts) {
        for (const o of optionsIn(text)) out.add(o);
        const inherit = /\[the options of (\S+)\]/.exec(text);
        if (inherit?.[1]) for (const o of readmeOptions(inherit[1])) out.add(o);
      }
      return out;
    };
    for (const command of commands) {
      if (!entries.has(command.name)) {
        problems.push(`${command.name}: not in README's CLI section`);
        continue;
      }
      const usage = optionsIn(command.loadUsage ? await command.loadUsage() : command.usage);
      const readme = readmeOptions(command.name);
      const missing = [...usage].filter((o) => !readme.has(o));
      const extra = [...readme].filter((o) => !usage.has(o));
      if (missing.length) problems.push(`${command.name}: README lacks --${missing.join(', --')}`);
      if (extra.length) problems.push(`${command.name}: README names --${extra.join(', --')}, which its --help does not`);
    }
    const names = new Set(commands.map((c) => c.name));
    for (const name of entries.keys()) if (!names.has(name)) problems.push(`README lists "rackdeck ${name}", which is no command`);
    expect(problems).toEqual([]);
  });
});
