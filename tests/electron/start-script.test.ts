import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

describe('npm start without an Electron runtime', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('says so and serves the web face instead, passing the arguments on; Ctrl-C stops both', async () => {
    expect(fs.existsSync(path.join(root, 'dist/main/cli.mjs')), 'dist/main/cli.mjs is missing: run `node scripts/build.mjs` first').toBe(true);
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-start-'));
    const noElectron = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-no-electron-'));
    dirs.push(home, noElectron);
    // An empty override folder: the runtime is absent even where one is installed.
    const child = spawn(process.execPath, ['scripts/start.mjs', '--home', home, '--port', '0', '--hidden'], {
      cwd: root,
      env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: noElectron, RACKDECK_HOME: '' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

    const url = await new Promise<URL>((resolve, reject) => {
      const check = () => {
        const match = /Rackdeck web face: (http:\/\/\S+)/.exec(out);
        if (match) resolve(new URL(match[1]!));
      };
      child.stdout.on('data', check);
      child.on('exit', () => reject(new Error(`start.mjs exited early:\n${out}\n${err}`)));
    });
    expect(err).toMatch(/no Electron runtime is installed here/);
    expect(url.hostname).toBe('127.0.0.1');
    expect(url.hash).toMatch(/^#token=/);
    expect(fs.existsSync(path.join(home, 'config.json'))).toBe(true);
    const port = Number(url.port);
    const res = await fetch(new URL('/', url));
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");

    child.kill('SIGINT');
    await exited;
    expect(await portOpen(port)).toBe(false);
  });
});
