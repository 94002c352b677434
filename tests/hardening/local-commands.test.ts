/**
 * Custom power commands that run on the Rackdeck machine itself (issue 14): off until the admin
 * turns them on from the desktop app or the CLI; the web face can neither turn them on nor
 * write one.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/main/base/clock';
import { silentLogger } from '../../src/main/base/logger';
import type { CallContext } from '../../src/main/ipc/router';
import { runCli } from '../../src/main/faces/cli/main';
import { createApp, type RackdeckApp } from '../../src/main/root/app';

const homes: string[] = [];
afterEach(() => {
  for (const dir of homes.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function open(): { app: RackdeckApp; home: string; ran: string[][] } {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-local-'));
  homes.push(home);
  const ran: string[][] = [];
  const app = createApp({
    home,
    face: 'cli',
    clock: new FakeClock(),
    log: silentLogger,
    probe: async (_a, ports) => ({ openPorts: Object.fromEntries(ports.map((p) => [String(p), false])), error: 'refused' }),
    power: {
      runLocal: async (argv) => {
        ran.push([...argv]);
        return { code: 0, stdout: '', stderr: '' };
      },
    },
  });
  return { app, home, ran };
}

const LOCAL_WAKE = { useSudo: false, customCommands: { wake: { command: 'ipmitool -H {ip} power on', runOn: 'local' } }, timeouts: {} };

async function call(app: RackdeckApp, channel: string, input: unknown, face: CallContext['face']) {
  return app.router.handle(channel, input, { face });
}

describe('local power commands', () => {
  it('are off by default: a local command is refused with what to do, nothing runs, the state stays', async () => {
    const { app, ran } = open();
    expect(await call(app, 'power.localCommands', {}, 'desktop')).toEqual({ ok: true, value: { allowed: false, editable: true } });
    expect((await call(app, 'servers.add', { name: 'bmc', address: '127.0.0.1', ports: [9], powerControl: LOCAL_WAKE }, 'desktop')).ok).toBe(true);
    await app.engine.refresh('bmc');
    const before = app.engine.view('bmc')?.power;
    const refused = await call(app, 'power.run', { id: 'bmc', action: 'wake' }, 'desktop');
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringContaining('rackdeck local-commands on') } });
    expect(app.engine.view('bmc')?.power).toBe(before);
    expect(ran).toEqual([]);
    await app.stop();
  });

  it('run once the CLI or the desktop app turned them on, and are refused again once off', async () => {
    const { app, ran } = open();
    await call(app, 'servers.add', { name: 'bmc', address: '127.0.0.1', ports: [9], powerControl: LOCAL_WAKE }, 'cli');
    await app.engine.refresh('bmc');
    expect(await call(app, 'power.setLocalCommands', { allowed: true }, 'cli')).toEqual({ ok: true, value: { allowed: true, editable: true } });
    expect((await call(app, 'power.run', { id: 'bmc', action: 'wake' }, 'desktop')).ok).toBe(true);
    await app.power.sent('bmc');
    expect(ran).toEqual([['ipmitool', '-H', '127.0.0.1', 'power', 'on']]);
    expect((await call(app, 'power.setLocalCommands', { allowed: false }, 'desktop')).ok).toBe(true);
    expect(app.engine.settings.power.allowLocalCommands).toBe(false);
    await app.stop();
  });

  it('over the web face: cannot be turned on, and no local command can be written; one already there can be kept', async () => {
    const { app, ran } = open();
    expect(await call(app, 'power.localCommands', {}, 'web')).toEqual({ ok: true, value: { allowed: false, editable: false } });
    expect(await call(app, 'power.setLocalCommands', { allowed: true }, 'web')).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(app.engine.settings.power.allowLocalCommands).toBe(false);
    // Even once on, the web face may not write a program for it to run.
    await call(app, 'power.setLocalCommands', { allowed: true }, 'desktop');
    const added = await call(app, 'servers.add', { name: 'bmc', address: '127.0.0.1', powerControl: LOCAL_WAKE }, 'web');
    expect(added).toMatchObject({ ok: false, error: { code: 'unauthorized', fields: { 'powerControl.customCommands.wake.runOn': expect.any(String) } } });
    expect(app.engine.find('bmc')).toBeUndefined();
    await call(app, 'servers.add', { name: 'bmc', address: '127.0.0.1', powerControl: LOCAL_WAKE }, 'desktop');
    const changed = { ...LOCAL_WAKE, customCommands: { wake: { command: 'rm -rf /', runOn: 'local' } } };
    expect(await call(app, 'servers.edit', { id: 'bmc', patch: { powerControl: changed } }, 'web')).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(app.engine.find('bmc')?.powerControl?.customCommands?.wake?.command).toBe('ipmitool -H {ip} power on');
    // Keeping it as it is, or making it run over SSH, is fine.
    expect((await call(app, 'servers.edit', { id: 'bmc', patch: { name: 'bmc-1', powerControl: LOCAL_WAKE } }, 'web')).ok).toBe(true);
    expect((await call(app, 'servers.edit', { id: 'bmc', patch: { powerControl: { ...LOCAL_WAKE, customCommands: { wake: { command: 'qm start 100', runOn: 'ssh' } } } } }, 'web')).ok).toBe(true);
    expect(ran).toEqual([]);
    await app.stop();
  });

  it('rackdeck local-commands on|off prints and changes the setting', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-local-'));
    homes.push(home);
    const cli = async (...argv: string[]) => {
      const out: string[] = [];
      const code = await runCli([...argv, '--home', home], { out: (l) => out.push(l), err: (l) => out.push(l), env: {} });
      return { code, out: out.join('\n') };
    };
    expect(await cli('local-commands')).toEqual({ code: 0, out: 'Local commands are off.' });
    expect((await cli('local-commands', 'on')).out).toContain('now on');
    expect(await cli('local-commands')).toEqual({ code: 0, out: 'Local commands are on.' });
    expect((await cli('local-commands', 'maybe')).code).toBe(2);
    expect((await cli('local-commands', 'off')).out).toBe('Local commands are now off.');
  });
});
