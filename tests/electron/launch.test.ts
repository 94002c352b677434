import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ServerView } from '../../src/shared/server';

const root = path.resolve(import.meta.dirname, '../..');

/**
 * The Electron binary named by node_modules/electron/path.txt, if it is really there. Read by
 * hand: `require('electron')` would try to download a missing binary.
 */
function electronRuntime(): string | undefined {
  const dir = path.join(root, 'node_modules', 'electron');
  const pathFile = path.join(dir, 'path.txt');
  if (!fs.existsSync(pathFile)) return undefined;
  const binary = path.join(dir, 'dist', fs.readFileSync(pathFile, 'utf8').trim());
  return fs.existsSync(binary) ? binary : undefined;
}

const executablePath = electronRuntime();
/** A server's card in a given power state (the frame's list item, or the grid's card). */
const card = (id: string, power: string) => `[data-server-id="${id}"][data-power="${power}"], [data-testid="card-${id}"][data-power="${power}"]`;
const SKIP_REASON = 'Electron runtime not present (binary download blocked on this machine): skipped the _electron launch test';

describe('desktop face, launched for real', () => {
  if (!executablePath) {
    console.log(SKIP_REASON);
    it.skip(SKIP_REASON, () => {});
    return;
  }

  it('shows a server on a loopback listener as on, then off once the listener closes', async () => {
    const { _electron } = await import('playwright-core');
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-electron-'));
    const listener = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const port = (listener.address() as net.AddressInfo).port;
    // Chromium refuses to run as root with its sandbox; only then is it turned off (tests only).
    const rootOnly = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
    const app = await _electron.launch({ executablePath, args: [...rootOnly, 'dist/main/electron.mjs', '--home', home], cwd: root });
    try {
      const page = await app.firstWindow();
      await page.waitForFunction('typeof window.rackdeck?.servers?.add === "function"');
      const info = await page.evaluate<{ face: string; home: string }>('window.rackdeck.app.info({})');
      expect(info).toMatchObject({ face: 'desktop', home });

      const added = await page.evaluate<ServerView>(`window.rackdeck.servers.add(${JSON.stringify({ name: 'loop', address: '127.0.0.1', ports: [port] })})`);
      await page.locator(card(added.id, 'on')).first().waitFor();

      await new Promise<void>((resolve) => listener.close(() => resolve()));
      await page.evaluate(`window.rackdeck.servers.refresh(${JSON.stringify({ id: added.id })})`);
      await page.locator(card(added.id, 'off')).first().waitFor();

      // The page has no Node: the preload exposes the client and nothing else.
      expect(await page.evaluate('typeof require')).toBe('undefined');
      expect(await page.evaluate('typeof process')).toBe('undefined');
    } finally {
      await app.close();
      listener.close();
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
