import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/main/base/clock';
import { silentLogger } from '../../src/main/base/logger';
import { planCommand, parseCommandTopic } from '../../src/main/integrations/mqtt/commands';
import { configsFor, retainedTopicsOf, serverOfConfigTopic, statesOf } from '../../src/main/integrations/mqtt/discovery';
import { collect } from '../../src/main/integrations/prometheus/families';
import { bearerOf, decideScrape, protectionOf, sameSecret } from '../../src/main/integrations/prometheus/gate';
import { decodeWriteRequest, encodeWriteRequest } from '../../src/main/integrations/remote-write/encode';
import { chartPlan, chartQueries, mergeSeries, stepFor, toMetricSeries, toTimeSeries } from '../../src/main/integrations/remote-write/model';
import { RemoteHistory } from '../../src/main/integrations/remote-write/writer';
import type { RemoteStore, Spool, SpoolBatch } from '../../src/main/integrations/ports';
import { applyEdit, queryUrlOf } from '../../src/main/integrations/settings';
import { integrationsSettingsSchema, remoteWriteSettingsSchema } from '../../src/shared/contract/integrations';
import type { ServerView } from '../../src/shared/server';
import { openTestApp } from '../core/test-app';

/** The integrations' pure parts: who may scrape, what Home Assistant is told, how the history looks in a remote store. No sockets. */

const view = (over: Partial<ServerView> = {}): ServerView => ({ id: 'nas', name: 'nas', kind: 'physical', address: '127.0.122.1', ports: [22], power: 'on', since: 1_000, openPorts: {}, ...over });

describe('the scrape gate', () => {
  const cfg = { enabled: true, token: 'a-scrape-token-of-some-length', allowListSize: 0 };
  it('lets in the scrape token, or an allowed address; never anything when off', () => {
    expect(decideScrape(cfg, { authorization: 'Bearer a-scrape-token-of-some-length', addressAllowed: false })).toEqual({ ok: true });
    expect(decideScrape({ ...cfg, token: undefined, allowListSize: 1 }, { authorization: undefined, addressAllowed: true })).toEqual({ ok: true });
    expect(decideScrape({ ...cfg, enabled: false }, { authorization: 'Bearer a-scrape-token-of-some-length', addressAllowed: true })).toMatchObject({ ok: false, status: 404 });
    expect(decideScrape(cfg, { authorization: 'Bearer nope', addressAllowed: false })).toMatchObject({ ok: false, status: 401 });
    expect(decideScrape(cfg, { authorization: undefined, addressAllowed: false })).toMatchObject({ ok: false, status: 401 });
    expect(decideScrape({ ...cfg, token: undefined }, { authorization: undefined, addressAllowed: false })).toMatchObject({ ok: false, status: 403, message: expect.stringContaining('No scrape token') });
  });
  it('compares secrets whole, and reads only a bearer header', () => {
    expect(sameSecret('abc', 'abc')).toBe(true);
    expect(sameSecret('abc', 'abd')).toBe(false);
    expect(sameSecret('abc', 'abcd')).toBe(false);
    expect(sameSecret('abc', '')).toBe(false);
    expect(bearerOf('Bearer xyz')).toBe('xyz');
    expect(bearerOf('Basic eHl6')).toBeUndefined();
    expect(protectionOf(true, 2)).toBe('token or allow-list');
    expect(protectionOf(false, 0)).toBe('none');
  });
});

describe('the exported families', () => {
  it('has a power state set per server, the figures, the guests and the active alerts', () => {
    const guest = view({ id: 'web', name: 'web', kind: 'vm', power: 'stopped', parentId: 'pve', proxmox: { cluster: 'lab', node: 'pve', type: 'qemu', vmid: 101, status: 'stopped', maxcpu: 2, maxmem: 2048 } });
    const c = collect({
      now: 61_000,
      version: '1.2.3',
      startedAt: 0,
      servers: [view(), guest],
      latest: new Map([['nas', { t: 60_000, cpu: 12.5, memUsed: 100 }]]),
      alerts: [{ id: 'a1', ruleId: 'r', ruleName: 'CPU high', kind: 'cpu', severity: 'warning', subject: 'nas', serverId: 'nas', serverName: 'nas', title: 't', body: 'b', state: 'active', startedAt: 0, updatedAt: 0 }],
      loops: [{ name: 'status', runs: 3, failures: 1, lastMs: 20, totalMs: 50 }],
    });
    const states = c.get('powerState')!.filter((s) => s.value === 1).map((s) => `${s.labels.server_id}=${s.labels.state}`);
    expect(states).toEqual(['nas=on', 'web=stopped']);
    expect(c.get('up')!.map((s) => s.value)).toEqual([1, 0]);
    expect(c.get('uptime')).toEqual([{ labels: { server_id: 'nas', server: 'nas' }, value: 60 }]);
    expect(c.get('cpu')).toEqual([{ labels: { server_id: 'nas', server: 'nas' }, value: 12.5 }]);
    expect(c.get('guestStatus')).toEqual([{ labels: { server_id: 'web', server: 'web', cluster: 'lab', node: 'pve', vmid: '101', type: 'qemu', status: 'stopped' }, value: 1 }]);
    expect(c.get('alert')![0]).toMatchObject({ labels: { rule: 'CPU high', severity: 'warning', server_id: 'nas' }, value: 1 });
    expect(c.get('alertsActive')).toEqual([
      { labels: { severity: 'warning' }, value: 1 },
      { labels: { severity: 'error' }, value: 0 },
    ]);
    expect(c.get('loopSeconds')).toEqual([{ labels: { loop: 'status' }, value: 0.02 }]);
  });
});

describe('Home Assistant discovery', () => {
  const o = { discoveryPrefix: 'homeassistant', baseTopic: 'rackdeck/home', version: '1.0.0' };
  it('describes a server as one device of seven entities, linked to its parent', () => {
    const configs = configsFor(view({ parentId: 'pve', system: { os: 'Debian 13', systemType: 'linux', hibernate: false, interfaces: [], initFailures: 0 } }), o);
    expect(configs.map((c) => c.topic)).toEqual([
      'homeassistant/switch/rackdeck_home/nas_power/config',
      'homeassistant/binary_sensor/rackdeck_home/nas_running/config',
      'homeassistant/sensor/rackdeck_home/nas_state/config',
      'homeassistant/sensor/rackdeck_home/nas_cpu/config',
      'homeassistant/sensor/rackdeck_home/nas_memory/config',
      'homeassistant/sensor/rackdeck_home/nas_disk/config',
      'homeassistant/select/rackdeck_home/nas_desired/config',
    ]);
    const sw = JSON.parse(configs[0]!.payload) as Record<string, unknown>;
    expect(sw).toMatchObject({ command_topic: 'rackdeck/home/nas/power/set', state_topic: 'rackdeck/home/nas/power', device: { via_device: 'rackdeck_rackdeck_home_pve', sw_version: 'Debian 13' }, origin: { name: 'Rackdeck', sw_version: '1.0.0' } });
    for (const c of configs) expect(serverOfConfigTopic(c.topic, o)).toBe('nas');
    expect(serverOfConfigTopic('homeassistant/switch/other_node/nas_power/config', o)).toBeUndefined();
    expect(serverOfConfigTopic('homeassistant/switch/rackdeck_home/nas-2_power/config', o)).toBe('nas-2');
    expect(retainedTopicsOf('nas', o)).toHaveLength(14);
  });
  it('states: the switch is on while up or on its way, figures as percentages, unknown figures left out', () => {
    expect(statesOf(view({ power: 'waking' }), undefined)).toEqual({ power: 'ON', running: 'OFF', state: 'waking', desired: 'none' });
    expect(statesOf(view({ power: 'suspended', desired: 'on' }), { cpu: 3.14159, memUsed: 1, memTotal: 3, diskUsed: 5 })).toEqual({ power: 'OFF', running: 'OFF', state: 'suspended', desired: 'on', cpu: '3.1', memory: '33.3' });
  });
});

describe('Home Assistant commands', () => {
  const plan = (key: string, payload: string, server: ServerView | undefined = view()) => planCommand({ serverId: 'nas', key, payload, server, offAction: 'suspend' });
  it('switch on wakes, switch off suspends a host (as configured) and shuts a guest down; nothing when already so', () => {
    expect(plan('power', 'ON', view({ power: 'off' }))).toEqual({ kind: 'power', serverId: 'nas', action: 'wake' });
    expect(plan('power', 'ON')).toMatchObject({ kind: 'none' });
    expect(plan('power', 'OFF')).toEqual({ kind: 'power', serverId: 'nas', action: 'suspend' });
    expect(plan('power', 'off', view({ kind: 'lxc' }))).toEqual({ kind: 'power', serverId: 'nas', action: 'shutdown' });
    expect(plan('power', 'ON', view({ power: 'suspending' }))).toMatchObject({ kind: 'none' });
  });
  it('refuses what it does not understand, and a server it does not know', () => {
    expect(plan('power', 'TOGGLE')).toMatchObject({ kind: 'refused' });
    expect(plan('desired', 'sideways')).toMatchObject({ kind: 'refused' });
    expect(plan('cpu', '5')).toMatchObject({ kind: 'refused' });
    expect(planCommand({ serverId: 'nas', key: 'power', payload: 'ON', server: undefined, offAction: 'suspend' })).toMatchObject({ kind: 'refused', reason: 'no server "nas"' });
    expect(plan('desired', 'none')).toEqual({ kind: 'desired', serverId: 'nas', desired: null });
    expect(parseCommandTopic('rackdeck/nas/power/set', 'rackdeck')).toEqual({ serverId: 'nas', key: 'power' });
    expect(parseCommandTopic('rackdeck/nas/power', 'rackdeck')).toBeUndefined();
    expect(parseCommandTopic('other/nas/power/set', 'rackdeck')).toBeUndefined();
  });
});

describe('the history in a remote store', () => {
  it('round-trips a write request through protobuf and snappy, one series per figure, in time order', () => {
    const series = mergeSeries([...toTimeSeries('home', 'nas', { t: 2000, cpu: 5, memUsed: 10 }), ...toTimeSeries('home', 'nas', { t: 1000, cpu: 4 })]);
    const decoded = decodeWriteRequest(encodeWriteRequest(series));
    expect(decoded).toEqual([
      { labels: [{ name: '__name__', value: 'rackdeck_sample' }, { name: 'field', value: 'cpu' }, { name: 'rackdeck', value: 'home' }, { name: 'server_id', value: 'nas' }], samples: [{ value: 4, timestamp: 1000 }, { value: 5, timestamp: 2000 }] },
      { labels: [{ name: '__name__', value: 'rackdeck_sample' }, { name: 'field', value: 'memUsed' }, { name: 'rackdeck', value: 'home' }, { name: 'server_id', value: 'nas' }], samples: [{ value: 10, timestamp: 2000 }] },
    ]);
  });
  it('reads a chart in the local history\'s buckets, whether the store evaluated at our times or at the step', () => {
    const steps = [60_000, 1_800_000, 10_800_000, 86_400_000];
    expect(stepFor('hour', steps)).toBe(60_000);
    expect(stepFor('week', steps)).toBe(1_800_000);
    expect(stepFor('year', steps)).toBe(86_400_000);
    const now = 10 * 60_000 + 30_000;
    const plan = chartPlan('hour', now, steps);
    expect(plan).toMatchObject({ first: -49, last: 10 });
    const q = chartQueries('home', 'nas', plan);
    expect(q.avg).toBe('avg_over_time(rackdeck_sample{rackdeck="home",server_id="nas"}[60000ms])');
    expect(q.endSec).toBe(659.999);
    // Bucket 8 evaluated at its last ms, bucket 9 at the step (an aligning store): both land right.
    const avg = [{ metric: { field: 'cpu' }, values: [[539.999, '10'], [600, '20']] as Array<[number, string]> }];
    const max = [{ metric: { field: 'cpu' }, values: [[539.999, '15'], [600, '25']] as Array<[number, string]> }];
    const s = toMetricSeries('nas', plan, avg, max);
    expect(s.points.at(-3)).toEqual({ t: 480_000, avg: { cpu: 10 }, max: { cpu: 15 } });
    expect(s.points.at(-2)).toEqual({ t: 540_000, avg: { cpu: 20 }, max: { cpu: 25 } });
    expect(s.points.at(-1)).toEqual({ t: 600_000, gap: true, until: 660_000 });
    expect(s.points[0]).toEqual({ t: -49 * 60_000, gap: true, until: 480_000 });
  });
  it('a batch the store refuses for good is counted and dropped, not retried forever', async () => {
    const clock = new FakeClock(1_000_000);
    const kept: SpoolBatch[] = [];
    const spool: Spool = {
      load: async () => undefined,
      push: async (body, samples) => void kept.push({ id: String(kept.length), body, samples }),
      oldest: async () => kept[0],
      remove: async (id) => void kept.splice(kept.findIndex((b) => b.id === id), 1),
      trim: async () => 0,
      stats: () => ({ batches: kept.length, samples: kept.reduce((n, b) => n + b.samples, 0), bytes: 0 }),
    };
    let answer = { status: 400, message: 'out of bounds' };
    const store: RemoteStore = { write: async () => answer, queryRange: async () => [], query: async () => [] };
    const w = new RemoteHistory({ store, spool, clock, log: silentLogger, settings: remoteWriteSettingsSchema.parse({ enabled: true, writeUrl: 'http://127.0.0.1:1/api/v1/write' }), steps: () => [60_000] });
    w.start();
    w.record('nas', { t: 1, cpu: 1, load1: 2 });
    await w.flush();
    expect(w.view()).toMatchObject({ dropped: 2, pending: 0, lastError: expect.stringContaining('out of bounds') });
    answer = { status: 503, message: 'busy' };
    w.record('nas', { t: 2, cpu: 1 });
    await w.flush();
    expect(w.view()).toMatchObject({ state: 'failing', pending: 1 });
    expect(kept).toHaveLength(1);
    answer = { status: 204, message: '' };
    await w.flush();
    expect(w.view()).toMatchObject({ state: 'ok', pending: 0, sent: 1 });
    await w.stop();
  });
});

describe('integrations settings', () => {
  it('restart only what an edit touched; the PromQL base comes from the write URL', () => {
    const current = integrationsSettingsSchema.parse({});
    expect([...applyEdit(current, { prometheus: { ...current.prometheus, enabled: true } }).changed]).toEqual(['prometheus']);
    expect([...applyEdit(current, { secrets: { mqttPassword: 'x' } }).changed]).toEqual(['mqtt']);
    expect([...applyEdit(current, { mqtt: current.mqtt }).changed]).toEqual([]);
    expect(queryUrlOf('http://127.0.0.1:8428/api/v1/write', undefined)).toBe('http://127.0.0.1:8428');
    expect(queryUrlOf('https://127.0.0.1/prom/api/v1/push', undefined)).toBe('https://127.0.0.1/prom');
    expect(queryUrlOf('http://127.0.0.1:9090/api/v1/write', 'http://127.0.0.1:9091/')).toBe('http://127.0.0.1:9091');
  });

  it('refuses bad settings at the boundary with a message per field, and changes nothing', async () => {
    const t = openTestApp();
    try {
      const bad = [
        { prometheus: { enabled: true, allow: ['127.0.0.0/40'] } },
        { prometheus: { enabled: true, listener: { host: '0.0.0.0', port: 9464 } } },
        { mqtt: { enabled: true, url: 'mqtt://user:pw@127.0.0.1:1883' } },
        { mqtt: { enabled: true, url: 'http://127.0.0.1' } },
        { mqtt: { baseTopic: 'rack/#' } },
        { remoteWrite: { enabled: true, writeUrl: 'ftp://127.0.0.1/x' } },
        { secrets: { scrapeToken: 'short' } },
        { prometheus: { enabled: true, surprise: 1 } },
      ];
      for (const input of bad) {
        const r = await t.app.router.handle('integrations.setSettings', input, { face: 'test' });
        expect(r.ok, JSON.stringify(input)).toBe(false);
        if (!r.ok) expect(r.error.code).toBe('bad_request');
      }
      expect(t.app.engine.settings.integrations).toEqual(integrationsSettingsSchema.parse({}));
      const view = await t.app.router.handle('integrations.settings', {}, { face: 'test' });
      expect(view.ok && view.value).toMatchObject({ prometheus: { enabled: false, tokenSet: false }, mqtt: { passwordSet: false }, remoteWrite: { tokenSet: false } });
    } finally {
      t.cleanup();
    }
  });

  it('stores secrets sealed, and says only that they are set', async () => {
    const t = openTestApp();
    try {
      const r = await t.app.router.handle('integrations.setSettings', { mqtt: { url: 'mqtts://127.0.0.1:8883', username: 'rackdeck' }, secrets: { mqttPassword: 'hunter2-very-secret' } }, { face: 'test' });
      expect(r.ok && r.value).toMatchObject({ mqtt: { url: 'mqtts://127.0.0.1:8883', username: 'rackdeck', passwordSet: true } });
      expect(JSON.stringify(r)).not.toContain('hunter2');
      const { readFileSync } = await import('node:fs');
      expect(readFileSync(`${t.home}/integrations/secrets.json`, 'utf8')).not.toContain('hunter2');
      expect(readFileSync(`${t.home}/config.json`, 'utf8')).not.toContain('hunter2');
    } finally {
      t.cleanup();
    }
  });
});

describe('the example Grafana dashboard', () => {
  it('queries only metrics the exporter has', async () => {
    const { readFileSync } = await import('node:fs');
    const { FAMILIES } = await import('../../src/main/integrations/prometheus/families');
    const dash = JSON.parse(readFileSync(new URL('../../assets/grafana/rackdeck-dashboard.json', import.meta.url), 'utf8')) as { panels: Array<{ targets: Array<{ expr: string }> }> };
    const known = new Set([...Object.values(FAMILIES).map((f) => f.name), 'rackdeck_process_resident_memory_bytes', 'rackdeck_process_cpu_seconds_total']);
    const used = dash.panels.flatMap((p) => p.targets.flatMap((t) => t.expr.match(/rackdeck_[a-z0-9_]+/g) ?? []));
    expect(used.length).toBeGreaterThan(15);
    expect(used.filter((m) => !known.has(m))).toEqual([]);
  });
});
