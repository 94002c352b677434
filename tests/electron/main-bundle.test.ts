import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const fakeDir = path.join(import.meta.dirname, 'fake-electron');

/**
 * No Electron runtime can run here, so the bundled main (dist/main/electron.mjs, with the real
 * config store) runs under Node with 'electron' resolved to a scripted fake. The
 * scenario (fake-electron/scenario.mjs) plays renderer, tray and admin, printing RESULT lines.
 */
function runBundle(home: string): Promise<{ code: number | null; results: Map<string, unknown>; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', pathToImport(path.join(fakeDir, 'register.mjs')), 'dist/main/electron.mjs', '--home', home], {
      cwd: root,
      env: { ...process.env, FAKE_ELECTRON_SCENARIO: pathToImport(path.join(fakeDir, 'scenario.mjs')), RACKDECK_HOME: '' },
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const results = new Map<string, unknown>();
      for (const line of output.split('\n')) {
        if (!line.startsWith('RESULT ')) continue;
        const { step, value } = JSON.parse(line.slice(7)) as { step: string; value: unknown };
        results.set(step, value);
      }
      resolve({ code, results, output });
    });
  });
}

const pathToImport = (file: string) => pathToFileURL(file).href;

describe('the bundled desktop main, on a fake Electron', () => {
  const homes: string[] = [];
  afterEach(() => homes.splice(0).forEach((h) => fs.rmSync(h, { recursive: true, force: true })));

  it('wires window, IPC, tray, power stub, close-to-tray and an orderly quit', async () => {
    expect(fs.existsSync(path.join(root, 'dist/main/electron.mjs')), 'run `node scripts/build.mjs` first').toBe(true);
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-bundle-'));
    homes.push(home);
    const { code, results, output } = await runBundle(home);
    expect(code, output).toBe(0);
    const r = (step: string) => results.get(step) as Record<string, unknown>;

    expect(r('window')).toMatchObject({
      loadedFile: path.join(root, 'dist', 'renderer', 'index.html'),
      visible: true,
      sandbox: true,
      options: { show: false, webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false, preload: path.join(root, 'dist', 'preload', 'preload.cjs') } },
    });
    expect(r('info')).toMatchObject({ ok: true, value: { face: 'desktop', home } });
    expect(r('foreign')).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(r('permissions')).toEqual({ notifications: true, media: false });
    expect(r('windowOpen')).toEqual({ action: 'deny' });
    expect(r('added')).toMatchObject({ ok: true, value: { id: 'loop' } });
    expect(results.get('patchOn')).toBe('on');
    expect(r('tray')).toMatchObject({ image: path.join(root, 'assets', 'tray', 'ok.png'), tooltip: 'Rackdeck — 1 server: 1 on' });
    expect((r('tray').labels as string[])).toContain('loop — On');
    expect(r('select')).toEqual({ serverId: 'loop' });
    expect(r('wakePacket')).toEqual({ bytes: 102, header: 'ffffffffffff' });
    expect(results.get('trayImageOff')).toBe(path.join(root, 'assets', 'tray', 'down.png'));
    expect(results.get('trayImageWaking')).toBe(path.join(root, 'assets', 'tray', 'busy.png'));
    expect(r('closeHides')).toEqual({ closed: false, visible: false, destroyed: false });
    expect(r('quit')).toEqual({ quitCalls: 2, trayDestroyed: true, windowDestroyed: true, handlerLeft: false });

    // What must survive a restart did: the inventory (config.json) and the window bounds.
    const config = JSON.parse(fs.readFileSync(path.join(home, 'config.json'), 'utf8')) as { servers: { id: string }[] };
    expect(config.servers.map((s) => s.id)).toEqual(['loop']);
    expect(JSON.parse(fs.readFileSync(path.join(home, 'window-state.json'), 'utf8'))).toMatchObject({ bounds: { width: 1280, height: 800 } });
  });
});
