import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allCommands, COMMAND_NAMES, findCommand } from '../../src/main/faces/cli/commands';
import { useCliHome } from './cli-home';

const { cli, home: homeDir } = useCliHome('rackdeck-cli-');

describe('rackdeck CLI', () => {
  it('adds, lists, edits and removes a server', async () => {
    expect((await cli('add', 'nas', '--address', '127.0.0.1', '--port', '1', '--mac', 'aa:bb:cc:dd:ee:ff')).code).toBe(0);
    expect((await cli('add', 'vm', '--address', '127.0.0.2', '--parent', 'nas', '--ssh-user', 'root')).code).toBe(0);
    const list = await cli('list', '--json');
    const servers = JSON.parse(list.out) as { name: string; parentId?: string; power: string; ssh?: { port: number } }[];
    expect(servers.map((s) => s.name)).toEqual(['nas', 'vm']);
    expect(servers[1]?.parentId).toBe('nas');
    expect(servers[1]?.ssh?.port).toBe(22);
    expect(servers[0]?.power).toBe('off');
    expect((await cli('edit', 'nas', '--name', 'storage')).code).toBe(0);
    expect((await cli('list')).out).toMatch(/storage\s+physical\s+127\.0\.0\.1/);
    // An edit changes only what it names: the ports and MAC stay.
    const edited = (JSON.parse((await cli('list', '--json')).out) as { name: string; ports: number[]; mac?: string }[])[0];
    expect(edited).toMatchObject({ name: 'storage', ports: [1], mac: 'aa:bb:cc:dd:ee:ff' });
    expect((await cli('remove', 'storage')).code).toBe(0);
    const after = JSON.parse((await cli('list', '--json')).out) as { name: string; parentId?: string }[];
    expect(after).toHaveLength(1);
    expect(after[0]?.parentId).toBeUndefined();
  });

  it('reports a live status and exits 0 only when the server is on', async () => {
    const listener = net.createServer((s) => s.destroy());
    await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
    const port = (listener.address() as net.AddressInfo).port;
    await cli('add', 'svc', '--address', '127.0.0.1', '--port', String(port));
    const up = await cli('status', 'svc');
    expect(up.code).toBe(0);
    expect(up.out).toContain('svc: On');
    await new Promise<void>((r) => listener.close(() => r()));
    const down = await cli('status', 'svc', '--json');
    expect(down.code).toBe(3);
    expect(JSON.parse(down.out).power).toBe('off');
  });

  it('says clearly what is wrong with bad input and changes nothing', async () => {
    await cli('add', 'nas', '--address', '127.0.0.1');
    const before = fs.readFileSync(path.join(homeDir(), 'config.json'), 'utf8');
    const cases: [string[], number, RegExp][] = [
      [['add', 'x'], 2, /address \(--address\): an address is required/],
      [['add', 'x', '--address', 'a;b'], 2, /address \(--address\): an address is an IPv4 address/],
      [['add', 'x', '--address', '127.0.0.1', '--port', '99999'], 2, /ports\.0 \(--port\): a port is a whole number from 1 to 65535/],
      [['add', 'nas', '--address', '127.0.0.1'], 1, /already exists/],
      [['add', 'x', '--address', '127.0.0.1', '--bogus'], 2, /Unknown option '--bogus'/],
      [['edit', 'nas'], 2, /nothing to change/],
      [['remove', 'ghost'], 4, /Server "ghost" was not found/],
      [['status'], 2, /missing <server>/],
      [['frobnicate'], 2, /unknown command "frobnicate"/],
    ];
    for (const [argv, code, message] of cases) {
      const r = await cli(...argv);
      expect(r.code, argv.join(' ')).toBe(code);
      expect(r.err, argv.join(' ')).toMatch(message);
    }
    expect(fs.readFileSync(path.join(homeDir(), 'config.json'), 'utf8')).toBe(before);
  });

  it('has --help on every command; every name of the lazy registry is a command of its module', async () => {
    const top = await cli('--help');
    expect(COMMAND_NAMES.length).toBeGreaterThan(25);
    for (const name of COMMAND_NAMES) {
      expect((await findCommand(name))?.name, name).toBe(name);
      expect(top.out).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
      const help = await cli(name, '--help');
      expect(help.code).toBe(0);
      expect(help.out).toMatch(new RegExp(`^Usage: rackdeck ${name}`));
    }
    expect(await findCommand('nope')).toBeUndefined();
    // And every command a module has is in the registry, in the same order: none is unreachable.
    expect((await allCommands()).map((c) => c.name)).toEqual(COMMAND_NAMES);
  });
});
