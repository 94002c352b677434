import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { statusPorts } from '../../src/main/inventory/probe-ports';
import { useCliHome } from '../cli/cli-home';

const ssh = (port: number) => ({ user: 'root', port, auth: 'key' as const });

describe('the ports a status probe knocks on (issue 13)', () => {
  it('is the configured ports and the SSH port, each once', () => {
    expect(statusPorts({ ports: [22] })).toEqual([22]);
    expect(statusPorts({ ports: [80, 443] })).toEqual([80, 443]);
    expect(statusPorts({ ports: [22], ssh: ssh(22) })).toEqual([22]);
    expect(statusPorts({ ports: [80, 443], ssh: ssh(2222) })).toEqual([80, 443, 2222]);
    expect(statusPorts({ ports: [22, 80], ssh: ssh(2222) })).toEqual([22, 80, 2222]);
    expect(statusPorts({ ports: [2222], ssh: ssh(2222) })).toEqual([2222]);
  });

  it('does not knock on a default port 22 the server does not use for SSH', () => {
    expect(statusPorts({ ports: [22], ssh: ssh(47522) })).toEqual([47522]);
  });
});

const { cli } = useCliHome('rackdeck-probe-ports-');

describe('rackdeck status of a server whose SSH is on another port', () => {
  it('is On when its SSH port answers, without any --port', async () => {
    const listener = net.createServer((s) => s.destroy());
    await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
    const port = (listener.address() as net.AddressInfo).port;
    try {
      const add = await cli('add', 'real', '--address', '127.0.0.1', '--ssh-port', String(port), '--ssh-user', 'root');
      expect(add.code, add.err).toBe(0);
      const status = await cli('status', 'real', '--json');
      expect(status.code, status.err).toBe(0);
      const view = JSON.parse(status.out) as { power: string; openPorts: Record<string, boolean> };
      expect(view.power).toBe('on');
      expect(view.openPorts[String(port)]).toBe(true);
      expect(view.openPorts['22']).toBeUndefined();
    } finally {
      await new Promise<void>((r) => listener.close(() => r()));
    }
  });
});
