import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/main/faces/cli/main';
import type { ServerView } from '../../src/shared/server';
import { useCliHome } from '../cli/cli-home';

const { cli, home } = useCliHome('rackdeck-cli-options-');

/** The CLI with standard input handed in (the secrets' `--…-stdin` options). */
async function cliStdin(stdin: string, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli([argv[0] as string, '--home', home(), ...argv.slice(1)], { out: (l) => out.push(l), err: (l) => err.push(l), env: {}, stdin: async () => stdin });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function view(name: string): Promise<ServerView> {
  const servers = JSON.parse((await cli('list', '--json')).out) as ServerView[];
  const s = servers.find((x) => x.name === name);
  if (!s) throw new Error(`no server ${name}`);
  return s;
}

const config = () => fs.readFileSync(path.join(home(), 'config.json'));

describe('every option of the form on the CLI', () => {
  it('add takes WoL targets, ports, source, SecureOn, SSH, sudo, commands, timeouts, desired and up-ports', async () => {
    const r = await cliStdin(
      's3cret\n12:34:56:78:9a:bc\n',
      'add', 'full', '--address', '127.0.47.1', '--mac', 'AA-BB-CC-DD-EE-FF', '--port', '22', '--port', '443',
      '--ssh-user', 'root', '--ssh-port', '2222', '--ssh-auth', 'password', '--ssh-password-stdin',
      '--wol-port', '9', '--wol-target', '127.0.47.255', '--wol-target', '127.0.47.254', '--wol-netmask', '24', '--wol-source', '127.0.0.1',
      '--no-wol-broadcast', '--no-wol-directed', '--wol-unicast', '--wol-password-stdin',
      '--sudo', '--wake-command', 'ipmitool -H {ip} power on', '--wake-runs-on', 'local', '--reboot-command', 'reboot-it {mac}',
      '--wake-timeout', '90', '--shutdown-timeout', '600', '--desired', 'off',
    );
    expect(r.code, r.err).toBe(0);
    const s = await view('full');
    expect(s).toMatchObject({
      mac: 'aa:bb:cc:dd:ee:ff',
      ports: [22, 443],
      desired: 'off',
      ssh: { user: 'root', port: 2222, auth: 'password' },
      wol: { ports: [9], extraTargets: ['127.0.47.255', '127.0.47.254'], netmask: '24', bindAddress: '127.0.0.1', limitedBroadcast: false, directedBroadcast: false, unicast: true, secureOn: true },
      powerControl: {
        useSudo: true,
        customCommands: { wake: { command: 'ipmitool -H {ip} power on', runOn: 'local' }, reboot: { command: 'reboot-it {mac}', runOn: 'ssh' } },
        timeouts: { wakeMs: 90_000, shutdownMs: 600_000 },
      },
      secretsSet: { sshPassword: true, sshPassphrase: false, wolPassword: true },
    });
    // The secrets never reach argv, nor the config file.
    expect(config().toString()).not.toContain('s3cret');
  });

  it('edit changes only what it names, within WoL and power commands too; a "" removes', async () => {
    expect((await cli('add', 'box', '--address', '127.0.47.2', '--wol-target', '127.0.47.255', '--no-wol-broadcast', '--wake-command', 'wake-it', '--reboot-command', 'reboot-it', '--wake-timeout', '60')).code).toBe(0);
    expect((await cli('edit', 'box', '--wol-unicast', '--wake-command', '', '--reboot-timeout', '120', '--mac', 'aabb.ccdd.eeff')).code).toBe(0);
    const s = await view('box');
    expect(s.mac).toBe('aa:bb:cc:dd:ee:ff');
    expect(s.wol).toMatchObject({ extraTargets: ['127.0.47.255'], limitedBroadcast: false, unicast: true });
    expect(s.powerControl?.customCommands).toEqual({ reboot: { command: 'reboot-it', runOn: 'ssh' } });
    expect(s.powerControl?.timeouts).toEqual({ wakeMs: 60_000, rebootMs: 120_000 });
    expect((await cli('edit', 'box', '--mac', '')).code).toBe(0);
    expect((await view('box')).mac ?? '').toBe('');
  });

  it('a SecureOn password of the wrong shape refuses the whole add: exit 2, nothing saved', async () => {
    expect((await cli('add', 'keep', '--address', '127.0.47.3')).code).toBe(0);
    const before = config();
    const r = await cliStdin('not-a-password\n', 'add', 'nope', '--address', '127.0.47.4', '--mac', 'aa:bb:cc:dd:ee:01', '--wol-password-stdin');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/value \(--\*-password-stdin\): a SecureOn password is 4 bytes/);
    expect(config().equals(before)).toBe(true);
  });

  it('an SSH port without a user is refused as a missing user, not as a bad name: exit 2, nothing saved', async () => {
    expect((await cli('add', 'keep2', '--address', '127.0.47.5')).code).toBe(0);
    const before = config();
    const r = await cli('add', 'nouser', '--address', '127.0.47.6', '--ssh-port', '2222');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/ssh\.user \(--ssh-user\): an SSH user is needed to use SSH/);
    expect(config().equals(before)).toBe(true);
  });

  it('desired sets and clears the desired state; an unknown one exits 2 and changes nothing', async () => {
    expect((await cli('add', 'dz', '--address', '127.0.47.5', '--mac', 'aa:bb:cc:dd:ee:05')).code).toBe(0);
    expect((await cli('desired', 'dz', 'suspended')).code).toBe(0);
    expect((await view('dz')).desired).toBe('suspended');
    const before = config();
    const bad = await cli('desired', 'dz', 'asleep');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/desired \(on\|off\|suspended\|none\): /);
    expect(config().equals(before)).toBe(true);
    expect((await cli('desired', 'dz', 'none')).code).toBe(0);
    expect((await view('dz')).desired).toBeUndefined();
    expect((await cli('edit', 'dz', '--desired', 'on')).code).toBe(0);
    expect((await view('dz')).desired).toBe('on');
    expect((await cli('edit', 'dz', '--desired', 'none')).code).toBe(0);
    expect((await view('dz')).desired).toBeUndefined();
  });

  it('cancel with nothing running says so (exit 1); on a server with a desired state it holds the reconcile loop', async () => {
    expect((await cli('add', 'cx', '--address', '127.0.47.6', '--mac', 'aa:bb:cc:dd:ee:06')).code).toBe(0);
    const none = await cli('cancel', 'cx');
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/nothing to cancel/);
    expect((await cli('cancel', 'ghost')).code).toBe(4);
    expect((await cli('edit', 'cx', '--desired', 'off')).code).toBe(0);
    const held = await cli('cancel', 'cx');
    expect(held.code, held.err).toBe(0);
    expect(held.out).toMatch(/reconcile to off on hold/);
  });

  it('wol normalises the MAC of any of the four forms, and refuses a bad port with exit 2', async () => {
    const r = await cli('wol', 'AABB.CCDD.EEFF', '--address', '127.0.47.255', '--port', '47999', '--json');
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ mac: 'aa:bb:cc:dd:ee:ff' });
    const bad = await cli('wol', 'aa:bb:cc:dd:ee:ff', '--port', '0');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/port \(--port\): a port is a whole number from 1 to 65535/);
  });
});
