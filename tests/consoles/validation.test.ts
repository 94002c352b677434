/**
 * Service and file names reach a remote shell: the allow-patterns must refuse every way of
 * smuggling shell syntax in, at the contract and again where the command line is built.
 */
import { describe, expect, it } from 'vitest';
import { commandProblem, consoleAvailability, execSpecSchema, logFileProblem, serviceNameProblem, statsLine } from '../../src/shared/contract/consoles';
import { execCommandLine, shellQuote } from '../../src/main/consoles/exec-command';

const HOSTILE_NAMES = [
  'nginx; rm -rf /',
  '$(id)',
  '${IFS}',
  '`id`',
  'nginx`id`',
  'nginx\nid',
  'nginx\rid',
  'nginx && id',
  'nginx | sh',
  "nginx'",
  'nginx"',
  'nginx > /etc/passwd',
  'nginx<x',
  '-u',
  '--help',
  '../../etc/shadow',
  'nginx service',
  'nginx\0',
  'nginx\\',
  '',
];

describe('service names', () => {
  it.each(HOSTILE_NAMES)('refuses %j', (name) => {
    expect(serviceNameProblem(name)).toBeDefined();
    expect(execSpecSchema.safeParse({ type: 'journal', service: name }).success).toBe(false);
    expect(() => execCommandLine({ type: 'journal', service: name, lines: 10, follow: true })).toThrow(/Refused/);
  });

  it.each(['nginx', 'nginx.service', 'getty@tty1.service', 'systemd-journald', 'user@1000.service', 'pve-cluster', 'dbus-org.freedesktop.login1', 'a:b', 'x_y+z'])('accepts %j', (name) => {
    expect(serviceNameProblem(name)).toBeUndefined();
    expect(execCommandLine({ type: 'journal', service: name, lines: 50, follow: true })).toBe(`journalctl --no-pager -o short-iso -n 50 -f -u '${name}'`);
  });
});

describe('log files', () => {
  const hostile = [
    '../../etc/shadow',
    '/var/log/../../etc/shadow',
    '/var/log/./syslog',
    '/var/log//syslog',
    '/etc/shadow',
    '/root/.ssh/id_ed25519',
    'var/log/syslog',
    '/var/log/$(id)',
    '/var/log/`id`',
    '/var/log/syslog; rm -rf /',
    '/var/log/sys log',
    '/var/log/syslog\n/etc/shadow',
    "/var/log/it's",
    '/var/log/-n',
    '/var/logx/syslog',
    '/var/log/',
  ];
  it.each(hostile)('refuses %j', (file) => {
    expect(logFileProblem(file)).toBeDefined();
    expect(execSpecSchema.safeParse({ type: 'tail', file }).success).toBe(false);
    expect(() => execCommandLine({ type: 'tail', file, lines: 10, follow: true })).toThrow(/Refused/);
  });

  it.each(['/var/log/syslog', '/var/log/nginx/access.log', '/var/log/pve/tasks/index', '/var/log/apt/history.log.1.gz', '/var/log/my_app-2.log'])('accepts %j', (file) => {
    expect(logFileProblem(file)).toBeUndefined();
    expect(execCommandLine({ type: 'tail', file, lines: 20, follow: true })).toBe(`tail -n 20 -F -- '${file}'`);
  });

  it('can be told other roots, and still refuses climbing out of them', () => {
    expect(logFileProblem('/srv/app/log.txt', ['/srv/app/'])).toBeUndefined();
    expect(logFileProblem('/srv/app/../secret', ['/srv/app/'])).toBeDefined();
  });
});

describe('free commands and quoting', () => {
  it('runs a command as typed, but one line without control characters', () => {
    expect(commandProblem('df -h | grep sda')).toBeUndefined();
    expect(commandProblem('ls\nrm -rf /')).toBeDefined();
    expect(commandProblem('ls\x1b[2J')).toBeDefined();
    expect(commandProblem('   ')).toBeDefined();
    expect(commandProblem('x'.repeat(2001))).toBeDefined();
    expect(execSpecSchema.safeParse({ type: 'command', command: 'uptime\r\nreboot' }).success).toBe(false);
  });

  it('quotes so that the shell reads one word whatever it holds', () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('$(id)')).toBe(`'$(id)'`);
  });

  it('fills defaults and refuses unknown fields', () => {
    expect(execSpecSchema.parse({ type: 'tail', file: '/var/log/syslog' })).toEqual({ type: 'tail', file: '/var/log/syslog', lines: 100, follow: true });
    expect(execSpecSchema.safeParse({ type: 'tail', file: '/var/log/syslog', sudo: true }).success).toBe(false);
    expect(execSpecSchema.safeParse({ type: 'journal', service: 'nginx', lines: 10_001 }).success).toBe(false);
  });
});

describe('what a server offers', () => {
  it('follows SSH settings and the Proxmox binding', () => {
    const host = consoleAvailability({ id: 'a', kind: 'physical', ssh: { user: 'root' } });
    expect(host.kinds['ssh-shell'].available).toBe(true);
    expect(host.kinds['proxmox-term']).toMatchObject({ available: false });
    const node = consoleAvailability({ id: 'b', kind: 'proxmox-node', proxmox: { cluster: 'c', node: 'pve1' } });
    expect(node.kinds['proxmox-term'].available).toBe(true);
    expect(node.kinds['ssh-shell']).toMatchObject({ available: false, reason: expect.stringMatching(/SSH/) });
    const vm = consoleAvailability({ id: 'c', kind: 'vm', proxmox: { cluster: 'c', node: 'pve1', type: 'qemu', vmid: 100 } });
    expect([vm.kinds.vnc.available, vm.kinds['proxmox-term'].available, vm.kinds.stats.available]).toEqual([true, false, true]);
    const ct = consoleAvailability({ id: 'd', kind: 'lxc', proxmox: { cluster: 'c', node: 'pve1', type: 'lxc', vmid: 101 } });
    expect([ct.kinds.vnc.available, ct.kinds['proxmox-term'].available]).toEqual([false, true]);
  });

  it("prints GoDoxy's stats line", () => {
    expect(statsLine({ at: 0, source: 'proxmox', status: 'running', cpuPercent: 31.14, memUsed: 9.6 * 2 ** 30, memLimit: 20 * 2 ** 30, memPercent: 48.87, netRx: 4.7 * 2 ** 30, netTx: 3.3 * 2 ** 30, blockRead: 25 * 2 ** 30, blockWrite: 36 * 2 ** 30 })).toBe(
      'running|31.1%|9.6GiB/20.0GiB|48.87%|4.7GiB/3.3GiB|25.0GiB/36.0GiB',
    );
  });
});
