import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import WebSocket from 'ws';
import type { WireResult } from '../../src/shared/ipc';
import { runCli } from '../../src/main/faces/cli/main';
import { Cleanup, launchBrowser, makeHome, newAppPage, startServe, type Served } from '../e2e/harness';
import { CASES, cliArgv, sectionOf, wsInput, type RefusalCase } from './refusal-cases';

// One running `rackdeck serve` and three faces on it: Chromium on the built renderer's form, the
// WebSocket a web page talks over, and the CLI (through serve's control socket). Each bad input
// must be refused by each face under the same field, in the same words, and change nothing.

const suite = new Cleanup();
let browser: Browser;
let served: Served;
let home: string;
let page: Page;
let ws: WebSocket;
let configBefore: Buffer;

beforeAll(async () => {
  home = makeHome(suite, { servers: [{ id: 'keep', name: 'keep', address: '127.0.45.2', ports: [1] }] });
  served = await startServe(suite, home);
  browser = await launchBrowser(suite);
  ({ page } = await newAppPage(browser, suite));
  await page.goto(served.openUrl);
  await page.locator('[data-testid="server-card"][data-server-id="keep"]').waitFor();
  const port = new URL(served.origin).port;
  ws = new WebSocket(`ws://127.0.0.1:${port}/api/ws?token=${encodeURIComponent(served.token)}`, { headers: { origin: served.origin.replace(/\/$/, '') } });
  suite.add('close the WebSocket', () => ws.close());
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  configBefore = fs.readFileSync(path.join(home, 'config.json'));
});
afterAll(() => suite.run());

let nextId = 1;
function wsCall(channel: string, input: unknown): Promise<WireResult> {
  const id = nextId++;
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const frame = JSON.parse(String(data)) as { id?: number; result?: WireResult };
      if (frame.id !== id || !frame.result) return;
      ws.off('message', onMessage);
      resolve(frame.result);
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ id, channel, input }));
  });
}

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  // --home before the command's own words: a name after `--` stays a name.
  const [command = '', ...rest] = argv;
  const code = await runCli([command, '--home', home, ...rest], { out: (l) => out.push(l), err: (l) => err.push(l), env: {} });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** Types the case into the add form, submits, and returns the error shown under its field. */
async function uiError(c: RefusalCase): Promise<string> {
  await page.getByTestId('add-server').click();
  const form = page.getByTestId('server-form');
  await form.waitFor();
  const section = sectionOf(c.field);
  if (section) {
    const fold = form.getByTestId(`section-${section}`);
    if ((await fold.getAttribute('open')) === null) await fold.locator('summary').click();
  }
  const t = { name: 'probe', address: '127.0.45.1', ...c.typed };
  const fill = async (key: string, value: string | undefined) => {
    if (value !== undefined) await form.getByTestId(`field-${key}`).fill(value);
  };
  await fill('name', t.name);
  await fill('address', t.address);
  await fill('mac', t.mac);
  await fill('ports', t.ports);
  await fill('ssh.user', t.sshUser);
  await fill('ssh.port', t.sshPort);
  await fill('wol.ports', t.wolPorts);
  await fill('wol.extraTargets', t.wolTargets);
  await fill('wol.bindAddress', t.wolBind);
  await fill('wol.netmask', t.wolNetmask);
  await fill('cmd.wake', t.wakeCommand);
  await fill('timeout.wake', t.wakeTimeout);
  await page.getByTestId('submit-server').click();
  const error = form.getByTestId(`error-${c.field}`);
  await error.waitFor();
  const text = (await error.textContent()) ?? '';
  await form.getByRole('button', { name: 'Close' }).click();
  await form.waitFor({ state: 'detached' });
  return text;
}

describe(`${CASES.length} bad inputs, refused alike by the form, the WebSocket and the CLI`, () => {
  it('has at least 30 cases, each of one field', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
  });

  for (const c of CASES) {
    it(c.what, async () => {
      const over = await wsCall('servers.add', wsInput(c));
      expect(over.ok, c.what).toBe(false);
      if (over.ok) return;
      expect(over.error.code).toBe('bad_request');
      const said = over.error.fields?.[c.path];
      expect(said, JSON.stringify(over.error.fields)).toMatch(c.says);
      expect(Object.keys(over.error.fields ?? {})).toEqual([c.path]);

      const shown = await uiError(c);
      expect(shown).toContain(said);

      const r = await cli([...cliArgv(c)]);
      expect(r.code, r.err).toBe(2);
      expect(r.err).toContain(`${c.path} (`);
      expect(r.err).toContain(`): ${said}`);
      expect(r.err).toContain('nothing was changed');
    });
  }

  it('`rackdeck wol zz:11` exits 2 naming the MAC, as power.wol over the WebSocket refuses it', async () => {
    const over = await wsCall('power.wol', { mac: 'zz:11' });
    expect(over.ok).toBe(false);
    if (over.ok) return;
    const said = over.error.fields?.mac ?? '';
    expect(said).toMatch(/not a MAC address/);
    const r = await cli(['wol', 'zz:11']);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`mac (<MAC>): ${said}`);
  });

  it('changed nothing on disk, and the form added no card', async () => {
    expect(fs.readFileSync(path.join(home, 'config.json')).equals(configBefore)).toBe(true);
    expect(await page.getByTestId('server-card').count()).toBe(1);
  });
});
