import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCliHome } from '../cli/cli-home';

const { cli, home } = useCliHome('rackdeck-setaside-');

describe('a damaged config said out loud on the CLI', () => {
  it("loads every other server and prints the one set aside, with its reason, once per command", async () => {
    expect((await cli('add', 'good-1', '--address', '127.0.44.1')).code).toBe(0);
    expect((await cli('add', 'bad', '--address', '127.0.44.2')).code).toBe(0);
    expect((await cli('add', 'good-2', '--address', '127.0.44.3')).code).toBe(0);
    const file = path.join(home(), 'config.json');
    const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as { servers: { name: string; ports: number[] }[] };
    const bad = doc.servers.find((s) => s.name === 'bad');
    if (!bad) throw new Error('no server "bad" in config.json');
    bad.ports = [99999];
    fs.writeFileSync(file, JSON.stringify(doc, null, 2));

    const list = await cli('list', '--json');
    expect(list.code).toBe(0);
    expect((JSON.parse(list.out) as { name: string }[]).map((s) => s.name)).toEqual(['good-1', 'good-2']);
    expect(list.err).toMatch(/1 server entry of config\.json set aside/);
    expect(list.err).toMatch(/bad: .*a port is a whole number from 1 to 65535/);
    expect(list.err).toMatch(/kept in .*config\.json\.rejected-/);
    expect(list.err.match(/set aside/g)).toHaveLength(1);
    // Said again by the next command that loads the config, until the admin deals with it.
    expect((await cli('status', 'good-1')).err).toMatch(/bad: /);
    // A command that loads no config says nothing of it.
    expect((await cli('wol', '--help')).err).toBe('');
  });
});
