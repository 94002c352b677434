/**
 * File modes as the README says (issue 14): the home and its data folders are the owner's alone
 * (0700), and every file that holds the admin's data is 0600, history shards and the action log
 * included. A home an older version left open is closed at the next start.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/main/base/clock';
import { silentLogger } from '../../src/main/base/logger';
import { createApp } from '../../src/main/root/app';

const homes: string[] = [];
afterEach(() => {
  for (const dir of homes.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

/** Every file and folder under `dir` with its mode, relative names. */
function modes(dir: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const rel of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })) out.set(rel, modeOf(path.join(dir, rel)));
  return out;
}

async function useEverything(home: string): Promise<void> {
  // A fake Wake-on-LAN sender: the magic packet must not leave loopback.
  const app = createApp({ home, face: 'cli', clock: new FakeClock(), log: silentLogger, power: { wol: async ({ targets }) => targets.map((target) => ({ target, ok: true })) } });
  // Started (on a clock that only moves when told) so the monitoring opens its history.
  app.engine.start();
  await app.monitoring.actions({});
  const call = async (channel: string, input: unknown) => {
    const r = await app.router.handle(channel, input, { face: 'cli' });
    if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
  };
  await call('servers.add', { name: 'nas', address: '127.0.0.1', ports: [9], mac: 'aa:bb:cc:dd:ee:ff' });
  await call('power.setSecret', { id: 'nas', name: 'ssh.password', value: 'pw' });
  await call('agents.createKey', { serverId: 'nas' });
  await call('alerts.setChannels', { webhook: { enabled: false }, url: 'http://127.0.0.1:9/hook' });
  // A power action for the action log, figures for a history shard; then both written out.
  await call('power.run', { id: 'nas', action: 'wake' });
  await app.power.sent('nas');
  app.monitoring.recordAgentSample('nas', { t: app.engine.clock.now(), cpu: 12 });
  await app.monitoring.flushHistory();
  await app.stop();
}

describe('file modes', () => {
  it('a fresh home: folders 0700, config, secrets, key, history shards and actions.json 0600', async () => {
    const home = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-modes-')), 'home');
    homes.push(path.dirname(home));
    await useEverything(home);
    const all = modes(home);
    console.log(`file modes: ${[...all].map(([f, m]) => `${f} ${m.toString(8)}`).join(', ')}`);
    expect(modeOf(home)).toBe(0o700);
    for (const [file, mode] of all) {
      const isDir = fs.statSync(path.join(home, file)).isDirectory();
      expect(mode, file).toBe(isDir ? 0o700 : 0o600);
    }
    for (const must of ['config.json', 'secrets.json', 'secret.key', 'monitoring', 'history', path.join('history', 'actions.json')]) expect(all.has(must), must).toBe(true);
    expect([...all.keys()].some((f) => /^history\/.*shard|^history\/\d/.test(f))).toBe(true);
  });

  it('a home an older version left 0755 (and its monitoring/ and history/) is closed at the next start', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-modes-'));
    homes.push(home);
    await useEverything(home);
    for (const dir of [home, path.join(home, 'monitoring'), path.join(home, 'history')]) fs.chmodSync(dir, 0o755);
    await createApp({ home, face: 'cli', log: silentLogger }).stop();
    for (const dir of [home, path.join(home, 'monitoring'), path.join(home, 'history')]) expect(modeOf(dir), dir).toBe(0o700);
  });

  it('a folder that is not a Rackdeck home yet (RACKDECK_HOME pointed at an existing folder) keeps its own rights', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-modes-'));
    homes.push(dir);
    fs.chmodSync(dir, 0o755);
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    await createApp({ home: dir, face: 'cli', log: silentLogger }).stop();
    expect(modeOf(dir)).toBe(0o755);
  });
});
