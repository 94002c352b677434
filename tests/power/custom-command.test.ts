import { describe, expect, it } from 'vitest';
import { runLocal } from '../../src/main/drivers/ssh/custom-command';
import { fillTemplate, localArgv, splitWords, validatedPlaceholders } from '../../src/main/drivers/ssh/model/custom-command';
import { powerCommandPlan, withSudo } from '../../src/main/drivers/ssh/model/power-commands';
import { customCommandSchema } from '../../src/shared/server';

describe('placeholders', () => {
  it('fills {ip} and {mac} only from validated values', () => {
    const values = validatedPlaceholders({ address: '192.168.1.20', mac: 'AABB.CCDD.EEFF' });
    expect(values).toEqual({ ip: '192.168.1.20', mac: 'aa:bb:cc:dd:ee:ff' });
    expect(fillTemplate('ipmitool -H {ip} power on # {mac}', values)).toBe('ipmitool -H 192.168.1.20 power on # aa:bb:cc:dd:ee:ff');
  });

  it('never lets a hostile value through', () => {
    expect(validatedPlaceholders({ address: '1.2.3.4; rm -rf /', mac: 'aa:bb:cc:dd:ee:ff$(reboot)' })).toEqual({});
    expect(validatedPlaceholders({ address: '-oProxyCommand=x' })).toEqual({});
    expect(() => fillTemplate('wake {mac}', {})).toThrow(/no valid MAC address/);
  });

  it('the config schema allows no other placeholders', () => {
    expect(customCommandSchema.safeParse({ command: 'echo {ip}' }).success).toBe(true);
    expect(customCommandSchema.safeParse({ command: 'echo {user}' }).success).toBe(false);
  });
});

describe('local commands: words, never a shell', () => {
  it('splits like a user expects', () => {
    expect(splitWords(`ipmitool -H {ip} -P 'pa ss' "a\\"b" c\\ d`)).toEqual(['ipmitool', '-H', '{ip}', '-P', 'pa ss', 'a"b', 'c d']);
    expect(() => splitWords(`echo 'open`)).toThrow(/unclosed quote/);
  });

  it('a value can never become two arguments', () => {
    expect(localArgv({ command: 'tool --host={ip} {mac}', runOn: 'local' }, { ip: '10.0.0.1', mac: 'aa:bb:cc:dd:ee:ff' })).toEqual(['tool', '--host=10.0.0.1', 'aa:bb:cc:dd:ee:ff']);
  });

  it('runs without a shell: metacharacters are plain arguments', async () => {
    const r = await runLocal(['/bin/echo', 'a;', '$(id)', '|', 'b'], 5_000);
    expect(r).toEqual({ code: 0, stdout: 'a; $(id) | b\n', stderr: '' });
    await expect(runLocal(['/nonexistent/tool'], 5_000)).rejects.toThrow(/not found/);
    expect((await runLocal(['/bin/sh', '-c', 'exit 3'], 5_000)).code).toBe(3);
  });
});

describe('power command plans', () => {
  it('suspend tries systemctl, pm-suspend, then the kernel interface', () => {
    expect(powerCommandPlan('suspend', false)).toEqual(['systemctl suspend', 'pm-suspend', 'echo mem > /sys/power/state', 'echo mem > /proc/sys/power/state']);
  });

  it('sudo -n wraps each, redirections inside a root shell', () => {
    expect(powerCommandPlan('suspend', true).slice(0, 3)).toEqual(['sudo -n systemctl suspend', 'sudo -n pm-suspend', "sudo -n sh -c 'echo mem > /sys/power/state'"]);
    expect(withSudo('systemctl poweroff')).toBe('sudo -n systemctl poweroff');
  });
});
