import { describe, expect, it } from 'vitest';
import { emptyValues, fieldForPath, macError, parseForm, secureOnError, toRawInput, valuesFromServer, wolChanged } from '../../src/renderer/lib/form-model';
import type { ServerView } from '../../src/shared/server';

// The server form's model (renderer/lib/form-model.ts): what it sends for Wake-on-LAN and power
// settings, and what it refuses before anything is sent.

const base = { ...emptyValues(), name: 'nas', address: '192.168.1.20' };

describe('the server form model', () => {
  it('leaves WoL and power settings out until they differ from the defaults', () => {
    const raw = toRawInput(base, 'add');
    expect(raw).not.toHaveProperty('wol');
    expect(raw).not.toHaveProperty('powerControl');
    expect(wolChanged(base)).toBe(false);
  });

  it('sends what the admin set: targets, ports, SecureOn, sudo, a custom command and a timeout in ms', () => {
    const values = { ...base, wolUnicast: true, wolPorts: '9', wolTargets: '192.168.1.1, 10.0.0.255', wolSecureOn: true, useSudo: true, timeouts: { ...base.timeouts, suspend: '90' } };
    values.commands = { ...values.commands, reboot: { command: 'ipmitool -H {ip} power cycle', runOn: 'local' } };
    const parsed = parseForm(values, 'add', { sshPassword: '', sshPassphrase: '', wolPassword: '12:34:56:78:9a:bc', clear: { sshPassword: false, sshPassphrase: false, wolPassword: false } });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.spec.wol).toMatchObject({ unicast: true, ports: [9], extraTargets: ['192.168.1.1', '10.0.0.255'], secureOn: true, directedBroadcast: true });
    expect(parsed.spec.powerControl).toMatchObject({ useSudo: true, customCommands: { reboot: { command: 'ipmitool -H {ip} power cycle', runOn: 'local' } }, timeouts: { suspendMs: 90_000 } });
  });

  it('refuses a bad MAC, a bad SecureOn password, an unknown placeholder and a bad port under their fields', () => {
    const bad = { ...base, mac: 'aa:bb:cc', wolSecureOn: true, wolPorts: '9, x' };
    bad.commands = { ...bad.commands, wake: { command: 'wake {host}', runOn: 'ssh' } };
    const parsed = parseForm(bad, 'add', { sshPassword: '', sshPassphrase: '', wolPassword: 'secret', clear: { sshPassword: false, sshPassphrase: false, wolPassword: false } });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors.mac).toMatch(/accepted forms: aa:bb:cc:dd:ee:ff/);
    expect(parsed.errors['wol.password']).toMatch(/4 bytes/);
    expect(parsed.errors['cmd.wake']).toMatch(/\{ip\} and \{mac\}/);
    expect(parsed.errors['wol.ports']).toBeDefined();
    expect(macError('aabb.ccdd.eeff')).toBeUndefined();
    expect(secureOnError('192.168.1.1')).toBeUndefined();
    expect(fieldForPath('patch.powerControl.timeouts.wakeMs')).toBe('timeout.wake');
  });

  it("keeps a server's own WoL settings on edit, even when they look like the defaults", () => {
    const view = { id: 'nas', name: 'nas', kind: 'physical', address: '10.0.0.2', ports: [22], power: 'on', since: 0, openPorts: {}, wol: { netmask: '255.255.255.0', directedBroadcast: true, limitedBroadcast: true, unicast: false, extraTargets: [], ports: [9, 7], secureOn: false } } as ServerView;
    const values = valuesFromServer(view);
    expect(values.hadWol).toBe(true);
    expect(toRawInput(values, 'edit')).toHaveProperty('wol');
  });
});
