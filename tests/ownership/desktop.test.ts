/**
 * Issue 12 with the desktop app as the engine: the bundled desktop main (dist/main/electron.mjs)
 * runs under Node on the fake Electron of tests/electron, owns the home and listens on its
 * control socket; the built CLI's adds go through it and appear in the page at once, and an
 * edit from the page loses none of them.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { builtCliExists, configServers, newHome, rackdeck, ROOT, startServe, undoList, waitFor } from './kit';

const undo = undoList();
afterEach(() => undo.run());

const fake = path.join(ROOT, 'tests', 'electron', 'fake-electron');
const asImport = (file: string) => pathToFileURL(file).href;

/** The desktop app on `home`, with the scenario of desktop-scenario.mjs as its page. */
function startDesktop(home: string) {
  const child = spawn(process.execPath, ['--import', asImport(path.join(fake, 'register.mjs')), 'dist/main/electron.mjs', '--home', home], {
    cwd: ROOT,
    env: { ...process.env, FAKE_ELECTRON_SCENARIO: asImport(path.join(import.meta.dirname, 'desktop-scenario.mjs')), RACKDECK_HOME: '' },
  });
  let output = '';
  const results: { step: string; value: unknown }[] = [];
  child.stdout.on('data', (d: Buffer) => {
    output += d.toString();
    results.splice(0, results.length, ...output.split('\n').filter((l) => l.startsWith('RESULT ')).map((l) => JSON.parse(l.slice(7)) as { step: string; value: unknown }));
  });
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  undo.push(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
    return exited;
  });
  const count = (step: string) => results.filter((r) => r.step === step).length;
  return {
    pid: () => child.pid as number,
    output: () => output,
    exited,
    /** Sends an order to the page and waits for its answer. */
    async ask(order: string, step: string): Promise<unknown> {
      const before = count(step);
      child.stdin.write(`${order}\n`);
      await waitFor(`the page to answer ${order}`, () => count(step) > before || child.exitCode !== null);
      return results.filter((r) => r.step === step).at(-1)?.value;
    },
    ready: () => waitFor('the desktop app to be ready', () => results.find((r) => r.step === 'ready') ?? (child.exitCode !== null && Promise.reject(new Error(output)))),
    quit: () => {
      child.stdin.write('quit\n');
      return exited;
    },
  };
}

describe.skipIf(!builtCliExists() || !fs.existsSync(path.join(ROOT, 'dist', 'main', 'electron.mjs')))('the desktop app owns the home; the CLI is its client', () => {
  it('three CLI adds and one edit from the page: all four servers in config.json, in rackdeck list and in the page', async () => {
    const home = newHome(undo);
    expect(await rackdeck(home, 'add', 'first', '--address', '127.0.131.1')).toMatchObject({ code: 0 });
    const desktop = startDesktop(home);
    await desktop.ready();

    for (const [i, name] of ['labnas', 'backup', 'router'].entries()) {
      const r = await rackdeck(home, 'add', name, '--address', `127.0.131.${i + 2}`);
      expect(r.code, r.err).toBe(0);
    }
    expect(await desktop.ask('edit', 'edited')).toMatchObject({ ok: true, value: { id: 'first', notes: 'edited in the desktop app' } });

    const names = ['backup', 'first', 'labnas', 'router'];
    await waitFor('four servers and the note in config.json', () => {
      const servers = configServers(home);
      return servers.length === 4 && servers.find((s) => s.id === 'first')?.notes === 'edited in the desktop app';
    });
    const listed = JSON.parse((await rackdeck(home, 'list', '--json')).out) as { name: string; notes?: string }[];
    expect(listed.map((s) => s.name).sort()).toEqual(names);
    expect(listed.find((s) => s.name === 'first')?.notes).toBe('edited in the desktop app');
    const page = await waitFor('the page to show all four and the note', async () => {
      const servers = (await desktop.ask('state', 'state')) as { name: string; notes?: string }[];
      return servers.length === 4 && servers.find((s) => s.name === 'first')?.notes === 'edited in the desktop app' ? servers : undefined;
    });
    expect(page.map((s) => s.name).sort()).toEqual(names);

    // A serve on the same home is a second engine: refused, with the desktop app named.
    const serve = await rackdeck(home, 'serve', '--port', '0');
    expect(serve.code).not.toBe(0);
    expect(serve.err).toMatch(new RegExp(`Rackdeck is already running for this home: the desktop app, pid ${desktop.pid()}, since \\d\\d:\\d\\d — use its window or quit it first`));

    expect(await desktop.quit(), desktop.output()).toBe(0);
    expect(fs.existsSync(path.join(home, 'rackdeck.lock'))).toBe(false);
    expect(configServers(home).map((s) => s.name).sort()).toEqual(names);
  });

  it('a desktop app started on a home serve owns says who owns it and quits', async () => {
    const home = newHome(undo);
    const served = await startServe(home, undo);
    const desktop = startDesktop(home);
    expect(await desktop.exited).toBe(1);
    expect(desktop.output()).toMatch(new RegExp(`ERROR-BOX Another Rackdeck owns this data folder: Rackdeck is already running for this home: serve, pid ${served.pid}, since \\d\\d:\\d\\d — open ${served.url.replace(/[./]/g, '\\$&')} or stop it first`));
  });
});
