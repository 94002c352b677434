/**
 * Names that are properties of every plain object, tried wherever a record is keyed by a name
 * the admin (or a host, or a cluster) chooses (issue 14): a server named `constructor` made
 * agents.health fail with "history.filter is not a function".
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { own } from '../../src/shared/own';
import { nicsFromConfig, parseNetValue } from '../../src/main/drivers/proxmox/addresses';
import { guestConfigSchema } from '../../src/main/drivers/proxmox/model/parse';
import { systemInfoFromFacts } from '../../src/main/power/init';
import { KnownHostsStore } from '../../src/main/store/known-hosts';
import { keyFileEncryptor, SecretsStore } from '../../src/main/store/secrets';
import { openTestApp } from '../core/test-app';

/** The names every suite tries; `__proto__` is refused as a server name, and tried as a key. */
const NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];
const SERVER_NAMES = NAMES.filter((n) => n !== '__proto__');

const homes: string[] = [];
function home(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-proto-'));
  homes.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of homes.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

async function ok(t: ReturnType<typeof openTestApp>, channel: string, input: unknown): Promise<unknown> {
  const result = await t.app.router.handle(channel, input, { face: 'cli' });
  if (!result.ok) throw new Error(`${channel} ${JSON.stringify(input)}: ${result.error.code}: ${result.error.message}`);
  return result.value;
}

describe(`servers named ${SERVER_NAMES.join(', ')}`, () => {
  it('agents: health, healthAll, resets, setWatch and keys work for each (and __proto__ is refused as a name)', async () => {
    const t = openTestApp();
    try {
      expect((await t.app.router.handle('servers.add', { name: '__proto__', address: '127.0.0.1' }, { face: 'cli' })).ok).toBe(false);
      for (const name of SERVER_NAMES) {
        const view = (await ok(t, 'servers.add', { name, address: '127.0.0.1' })) as { id: string };
        expect(await ok(t, 'agents.resets', { id: view.id })).toEqual([]);
        expect(await ok(t, 'agents.health', { id: name })).toMatchObject({ serverId: view.id });
        await ok(t, 'agents.setWatch', { id: view.id, autoReset: false });
        await ok(t, 'agents.createKey', { serverId: view.id });
        expect(await ok(t, 'agents.listKeys', {})).toEqual(expect.arrayContaining([expect.objectContaining({ serverId: view.id })]));
      }
      const all = (await ok(t, 'agents.healthAll', {})) as { serverId: string }[];
      expect(all.map((h) => h.serverId).sort()).toEqual(['constructor', 'hasownproperty', 'tostring', 'valueof']);
    } finally {
      t.cleanup();
    }
  });

  it('monitoring: an energy profile per server, figures and uptime for each', async () => {
    const t = openTestApp();
    try {
      for (const name of SERVER_NAMES) await ok(t, 'servers.add', { name, address: '127.0.0.1' });
      // Only `valueof` gets a profile; `constructor` must not find one on Object.prototype.
      const settings = (await ok(t, 'metrics.setSettings', { energy: { servers: { valueof: { idleWatts: 50, suspendedWatts: 5 } } } })) as { energy: { servers: Record<string, unknown> } };
      expect(Object.keys(settings.energy.servers)).toEqual(['valueof']);
      for (const name of SERVER_NAMES) {
        const id = name.toLowerCase();
        await ok(t, 'metrics.latest', { ids: [id] });
        await ok(t, 'metrics.series', { id, range: 'day' });
        // Only `valueof` has a profile of its own; the others use the default, not a prototype's function.
        expect(await ok(t, 'metrics.uptime', { id })).toMatchObject({ serverId: id, customWatts: id === 'valueof' });
      }
      // A `__proto__` key (an own key, as JSON.parse makes it) changes nothing: no server has that id.
      await t.app.router.handle('metrics.setSettings', JSON.parse('{"energy":{"servers":{"__proto__":{"idleWatts":1,"suspendedWatts":0}}}}'), { face: 'cli' });
      expect(Object.keys(((await ok(t, 'metrics.settings', {})) as { energy: { servers: object } }).energy.servers)).toEqual(['valueof']);
    } finally {
      t.cleanup();
    }
  });

  it('secrets and pinned host keys: a store that holds none answers none for each name', () => {
    const dir = home();
    const secrets = new SecretsStore(dir, keyFileEncryptor(dir));
    secrets.set('plain', 'ssh.password', 'x');
    const knownHosts = new KnownHostsStore(dir);
    for (const name of NAMES) {
      expect(secrets.has(name, 'ssh.password')).toBe(false);
      expect(secrets.get(name, 'ssh.password')).toBeUndefined();
      expect(knownHosts.get(name)).toBeUndefined();
      secrets.removeServer(name);
      knownHosts.forget(name);
    }
    secrets.set('constructor', 'ssh.password', 'mine');
    expect(secrets.get('constructor', 'ssh.password')).toBe('mine');
    expect(new SecretsStore(dir, keyFileEncryptor(dir)).get('plain', 'ssh.password')).toBe('x');
  });
});

describe('names that come from hosts and clusters', () => {
  it("a host's interfaces named like prototype properties (ethtool ran for none of them)", () => {
    const links = NAMES.filter((n) => n.length <= 15).map((name, i) => ({ ifname: name, address: `aa:bb:cc:dd:ee:0${i}`, operstate: 'UP', link_type: 'ether' }));
    const info = systemInfoFromFacts({ pveDir: false, ipLinkJson: JSON.stringify(links), ethtool: {} });
    expect(info.interfaces?.map((i) => i.wolSupported)).toEqual(links.map(() => undefined));
  });

  it('a Proxmox guest config and net value with prototype-named keys', () => {
    const config = guestConfigSchema.parse(JSON.parse('{"constructor":"x","toString":"y","__proto__":"z","net0":"virtio=BC:24:11:00:00:01,bridge=vmbr0"}'));
    expect(own(config, 'constructor')).toBe('x');
    expect(nicsFromConfig(config).map((n) => n.mac)).toEqual(['BC:24:11:00:00:01']);
    const kv = parseNetValue('constructor=1,toString=2,hasOwnProperty=3,__proto__=4');
    expect(own(kv, 'toString')).toBe('2');
    expect(own(kv, '__proto__')).toBe('4');
    expect(nicsFromConfig({ net0: 'constructor=1,toString=2' })[0]?.mac).toBeUndefined();
  });
});
