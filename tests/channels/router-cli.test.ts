import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/main/base/clock';
import { silentLogger } from '../../src/main/base/logger';
import type { Prober } from '../../src/main/drivers/probe';
import { runCliIn } from '../cli/run';
import { runCli } from '../../src/main/faces/cli/main';
import { createApp, type RackdeckApp } from '../../src/main/root/app';
import type { AlertPolicyView } from '../../src/shared/contract/alert-policy';
import type { ChannelTestReport, ChannelView } from '../../src/shared/contract/channels';
import type { AlertView } from '../../src/shared/contract/monitoring';
import { startProviderFake, type ProviderFake } from './provider-fakes';

const MIN = 60_000;
let fake: ProviderFake;
beforeAll(async () => {
  fake = await startProviderFake();
});
afterAll(async () => {
  await fake?.close();
});

const filesOf = (dir: string) =>
  fs
    .readdirSync(dir, { recursive: true })
    .map(String)
    .map((f) => path.join(dir, f))
    .filter((f) => fs.statSync(f).isFile())
    .map((f) => fs.readFileSync(f, 'utf8'));

async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('channels and the alert policy through the router, on a fake clock', () => {
  let app: RackdeckApp;
  let home: string;
  let up = true;
  const clock = new FakeClock(Date.UTC(2026, 11, 6, 7, 0));
  const probe: Prober = async (_a, ports) => ({ openPorts: Object.fromEntries(ports.map((p) => [String(p), up])), ...(up ? {} : { error: 'connection refused' }) });
  const call = async <T>(channel: string, input: unknown): Promise<T> => {
    const r = await app.router.handle(channel, input, { face: 'test' });
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message} ${JSON.stringify(r.error.fields ?? {})}`);
    return r.value as T;
  };
  const sweep = async () => {
    await app.engine.sweep();
    await clock.advance(100);
  };
  const gotify = () => fake.requests.filter((r) => r.path === '/message');
  const ntfy = () => fake.requests.filter((r) => r.path === '/');

  beforeAll(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-chan-'));
    app = createApp({ home, face: 'cli', log: silentLogger, clock, probe });
  });
  afterAll(async () => {
    await app?.stop();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('an Apprise URL becomes a channel; its token is sealed, never in config.json nor in a view', async () => {
    const port = new URL(fake.url).port;
    const saved = await call<ChannelView>('channels.save', { url: `gotify://127.0.118.1:${port}/${fake.tokens.gotify}` });
    expect(saved).toMatchObject({ id: 'gotify', kind: 'gotify', enabled: true, secretSet: true, settings: { server: `http://127.0.118.1:${port}` } });
    await call('channels.save', { channel: { id: 'pager', name: 'Pager', kind: 'ntfy', settings: { server: fake.url, topic: 'pager' } } });
    const list = await call<ChannelView[]>('channels.list', {});
    expect(list.map((c) => c.id)).toEqual(['gotify', 'pager']);
    expect(JSON.stringify(list)).not.toContain(fake.tokens.gotify);
    expect(fs.readFileSync(path.join(home, 'config.json'), 'utf8')).not.toContain(fake.tokens.gotify);
    for (const text of filesOf(home)) expect(text).not.toContain(fake.tokens.gotify);
    expect(await call<ChannelTestReport>('channels.test', { id: 'gotify' })).toEqual({ ok: true, detail: expect.stringContaining('answered 200') });
    expect(gotify().at(-1)?.headers['x-gotify-key']).toBe(fake.tokens.gotify);
  });

  it('refuses what a channel cannot work without, and changes nothing', async () => {
    const before = fs.readFileSync(path.join(home, 'config.json'), 'utf8');
    const bad = await app.router.handle('channels.save', { channel: { id: 'tg', name: 'TG', kind: 'telegram', settings: { chatId: '42' } } }, { face: 'test' });
    expect(bad.ok ? null : bad.error.message).toMatch(/needs its bot token/);
    const url = await app.router.handle('channels.save', { url: 'tgram://nope/1' }, { face: 'test' });
    expect(url.ok ? null : url.error.message).toMatch(/bot token looks like/);
    expect(fs.readFileSync(path.join(home, 'config.json'), 'utf8')).toBe(before);
  });

  it('down for less than the grace: nothing sent; down through it: Gotify hears it, then the escalation channel when nobody acknowledges', async () => {
    await call('alerts.setRules', { rules: [{ id: 'down', kind: 'down', name: 'Server went down', severity: 'error', forMinutes: 2, channels: ['gotify'], escalateAfterMinutes: 5, escalateTo: ['pager'] }] });
    await call('servers.add', { name: 'nas', address: '127.0.0.1', ports: [1] });
    app.engine.start();
    await clock.advance(100);
    fake.requests.length = 0;

    up = false;
    await sweep();
    await clock.advance(MIN);
    up = true;
    await sweep();
    await clock.advance(5 * MIN);
    await app.monitoring.alertsTick();
    expect(await call<AlertView[]>('alerts.list', { state: 'all' })).toEqual([]);
    expect(gotify()).toEqual([]);

    up = false;
    await sweep();
    await clock.advance(2 * MIN);
    await app.monitoring.alertsTick();
    await waitFor(() => gotify().length === 1);
    expect(JSON.parse(gotify()[0]!.body)).toEqual({ title: 'nas is down', message: expect.stringContaining('stopped answering'), priority: 8 });
    expect(ntfy()).toEqual([]);

    await clock.advance(5 * MIN);
    await app.monitoring.alertsTick();
    await waitFor(() => ntfy().length === 1);
    expect(JSON.parse(ntfy()[0]!.body)).toMatchObject({ topic: 'pager', title: 'nas is down', message: expect.stringContaining('Not acknowledged after 5 min') });
    const [active] = await call<AlertView[]>('alerts.list', { state: 'active' });
    expect(active).toMatchObject({ escalatedAt: expect.any(Number) });
    const acked = await call<AlertView>('alerts.ack', { id: active!.id, note: 'replacing the PSU' });
    expect(acked).toMatchObject({ acknowledgedAt: expect.any(Number), ackNote: 'replacing the PSU' });
    up = true;
    await sweep();
  });

  it('a maintenance window silences the server: the alert is kept, nothing is sent, the card says until when', async () => {
    const now = clock.now();
    const policy = await call<AlertPolicyView>('alertPolicy.set', { maintenance: [{ id: 'psu', name: 'PSU swap', target: { serverId: 'nas' }, start: now, end: now + 60 * MIN }] });
    expect(policy.inMaintenance).toEqual({ nas: now + 60 * MIN });
    expect(app.engine.view('nas')?.maintenanceUntil).toBe(now + 60 * MIN);
    fake.requests.length = 0;
    up = false;
    await sweep();
    await clock.advance(3 * MIN);
    await app.monitoring.alertsTick();
    const [silenced] = await call<AlertView[]>('alerts.list', { state: 'active' });
    expect(silenced).toMatchObject({ kind: 'down', silenced: true });
    expect(silenced?.notifiedAt).toBeUndefined();
    await clock.advance(10 * MIN);
    await app.monitoring.alertsTick();
    expect(fake.requests).toEqual([]);
    const bad = await app.router.handle('alertPolicy.set', { maintenance: [{ id: 'x', name: 'X', target: { group: 'g' }, cron: 'whenever', durationMinutes: 5 }] }, { face: 'test' });
    expect(bad.ok).toBe(false);
    up = true;
    await sweep();
  });

  it('a digest channel gets one message for several alerts', async () => {
    await call('alertPolicy.set', { maintenance: [] });
    await call('channels.save', { channel: { id: 'pager', name: 'Pager', kind: 'ntfy', digestMinutes: 10, settings: { server: fake.url, topic: 'pager' } } });
    await call('alerts.setRules', { rules: [{ id: 'down', kind: 'down', name: 'Server went down', throttleMinutes: 0, channels: ['pager'] }] });
    await call('servers.add', { name: 'web', address: '127.0.0.1', ports: [2] });
    fake.requests.length = 0;
    up = false;
    await sweep();
    await clock.advance(MIN);
    await app.monitoring.alertsTick();
    expect(ntfy()).toEqual([]);
    await clock.advance(10 * MIN);
    await app.monitoring.alertsTick();
    await waitFor(() => ntfy().length === 1);
    expect(JSON.parse(ntfy()[0]!.body)).toMatchObject({ topic: 'pager', title: 'Rackdeck: 2 alert updates', tags: ['clipboard'] });
    up = true;
    await sweep();
  });
});

describe('rackdeck channels and alerts ack', () => {
  let home: string;
  beforeAll(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-chan-cli-'));
  });
  afterAll(() => fs.rmSync(home, { recursive: true, force: true }));
  async function cli(...argv: string[]) {
    return runCliIn(home, argv);
  }

  it('add, list, test, remove; a kind that needs a secret refuses without one', async () => {
    expect((await cli('channels', 'list')).out).toContain('No channels');
    const refused = await cli('channels', 'add', 'gotify', '--id', 'phone', '--set', `server=${fake.url}`);
    expect(refused.code).not.toBe(0);
    expect(refused.err).toMatch(/needs its application token/);
    const added = await cli('channels', 'add', 'ntfy', '--id', 'lab', '--name', 'Lab topic', '--set', `server=${fake.url}`, '--set', 'topic=lab-alerts', '--digest', '5');
    expect(added.code).toBe(0);
    expect(added.out).toContain('Saved channel lab (ntfy)');
    const list = await cli('channels', 'list');
    expect(list.out).toMatch(/^lab\s+ntfy\s+Lab topic\s+on\s+-\s+5 min\s+server=http:\/\/127\.0\.118\.1:\d+ topic=lab-alerts$/m);
    fake.requests.length = 0;
    const test = await cli('channels', 'test', 'lab');
    expect(test).toMatchObject({ code: 0, out: expect.stringMatching(/^Sent: 127\.0\.118\.1:\d+ answered 200$/) });
    expect(JSON.parse(fake.requests[0]!.body)).toMatchObject({ topic: 'lab-alerts', title: 'Rackdeck test notification' });
    expect((await cli('channels', 'remove', 'lab')).out).toBe('Removed channel lab');
    expect((await cli('channels', 'remove', 'lab')).code).not.toBe(0);
    expect((await cli('channels', 'add', 'pigeon', '--id', 'x')).err).toMatch(/unknown kind "pigeon"/);
  });

  it('alerts ack <id> --note', async () => {
    const { AlertBook } = await import('../../src/main/monitoring/alerts/book');
    const { saveAlertBook } = await import('../../src/main/monitoring/io/alerts-file');
    const book = new AlertBook();
    book.signal({ ruleId: 'server-down', ruleName: 'Down', kind: 'down', severity: 'error', throttleMs: 0, subject: 'nas', serverId: 'nas', active: true, at: Date.now(), title: 'nas is down', body: '' });
    saveAlertBook(home, book);
    const r = await cli('alerts', 'ack', 'a1', '--note', 'disk swap until noon');
    expect(r).toMatchObject({ code: 0, out: 'Acknowledged a1: nas is down (disk swap until noon)' });
    const json = JSON.parse((await cli('alerts', '--all', '--json')).out) as AlertView[];
    expect(json[0]).toMatchObject({ ackNote: 'disk swap until noon' });
    expect((await cli('alerts', '--note', 'x')).err).toMatch(/--note goes with an acknowledgement/);
  });

  it('add --url-stdin (a real process, the Apprise URL piped in): the token never reaches argv nor the files in clear', async () => {
    const entry = path.resolve(__dirname, '../../src/main/faces/cli/entry.ts');
    const url = `tgram://${fake.tokens.telegram}/-100777`;
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', entry, 'channels', 'add', '--url-stdin', '--id', 'tg', '--home', home], { stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (c) => resolve({ code: c, stdout, stderr }));
      child.stdin.end(`${url}\n`);
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('Saved channel tg (Telegram, secret set)');
    for (const text of filesOf(home)) expect(text).not.toContain(fake.tokens.telegram);
    const list = JSON.parse((await cli('channels', 'list', '--json')).out) as ChannelView[];
    expect(list).toEqual([expect.objectContaining({ id: 'tg', kind: 'telegram', secretSet: true, settings: { server: 'https://api.telegram.org', chatId: '-100777' } })]);
  });
});

describe('rackdeck maintenance and overrides', () => {
  let home: string;
  beforeAll(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-chan-policy-'));
    fs.writeFileSync(path.join(home, 'config.json'), JSON.stringify({ schemaVersion: 1, servers: [{ id: 'nas', name: 'nas', kind: 'physical', address: '127.0.118.3', ports: [1], createdAt: 0 }], settings: {} }));
  });
  afterAll(() => fs.rmSync(home, { recursive: true, force: true }));
  async function cli(...argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli([...argv, '--home', home], { out: (l) => out.push(l), err: (l) => err.push(l), env: {} });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  it('maintenance add (one-off and recurring), list, remove; a bad cron is refused and nothing changes', async () => {
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const until = new Date(Date.now() + 3_600_000).toISOString();
    expect(await cli('maintenance', 'add', 'swap', '--server', 'nas', '--name', 'Disk swap', '--from', from, '--until', until)).toMatchObject({ code: 0, out: 'Saved maintenance window swap (in force now)' });
    expect((await cli('maintenance', 'add', 'weekly', '--group', 'storage', '--cron', '0 2 * * 0', '--minutes', '120', '--tz', 'Europe/Berlin')).code).toBe(0);
    const bad = await cli('maintenance', 'add', 'bad', '--group', 'g', '--cron', 'whenever', '--minutes', '5');
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/not a cron expression/);
    const list = await cli('maintenance', 'list');
    expect(list.out).toMatch(/^swap\s+Disk swap\s+server nas\s+/m);
    expect(list.out).toMatch(/^weekly\s+weekly\s+group storage\s+"0 2 \* \* 0" Europe\/Berlin for 120 min$/m);
    expect(list.out).toMatch(/^nas is in maintenance until /m);
    expect((await cli('maintenance', 'remove', 'swap')).out).toBe('Removed maintenance window swap');
    expect((await cli('maintenance', 'add', 'x', '--server', 'nas')).err).toMatch(/--from and --until, or --cron/);
  });

  it('overrides set, list, clear; an unknown server or rule is refused', async () => {
    expect((await cli('overrides', 'set', 'nas', 'cpu-high', '--threshold', '70', '--for', '10')).code).toBe(0);
    expect((await cli('overrides', 'set', 'nas', 'server-down', '--off')).code).toBe(0);
    const list = await cli('overrides', 'list');
    expect(list.out).toMatch(/^nas\s+cpu-high\s+70 %\s+10 min\s+-$/m);
    expect(list.out).toMatch(/^nas\s+server-down\s+-\s+-\s+off$/m);
    expect((await cli('overrides', 'set', 'ghost', 'cpu-high', '--threshold', '70')).err).toMatch(/No server "ghost"/);
    expect((await cli('overrides', 'set', 'nas', 'nope', '--threshold', '70')).err).toMatch(/No rule "nope"/);
    expect((await cli('overrides', 'clear', 'nas', 'cpu-high')).code).toBe(0);
    expect(JSON.parse((await cli('overrides', 'list', '--json')).out)).toEqual({ nas: { 'server-down': { enabled: false } } });
  });
});

describe('a home from before channels were a list', () => {
  it('its e-mail and webhook are channels with their secrets; saving one moves it into the list and its secret with it', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-chan-legacy-'));
    const app = createApp({ home, face: 'cli', log: silentLogger, clock: new FakeClock(Date.UTC(2026, 11, 6)) });
    try {
      const call = async <T>(channel: string, input: unknown): Promise<T> => {
        const r = await app.router.handle(channel, input, { face: 'test' });
        if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
        return r.value as T;
      };
      // What an older version stored: the classic settings and their two secrets.
      await call('alerts.setChannels', { webhook: { enabled: true, format: 'json' }, url: `${fake.url}/old-hook?k=s3cret` });
      await call('alerts.setRules', { rules: [{ id: 'down', kind: 'down', name: 'Down', webhook: false }] });
      const before = await call<ChannelView[]>('channels.list', {});
      expect(before).toEqual([expect.objectContaining({ id: 'webhook', kind: 'webhook', legacy: true, secretSet: true, secretHint: `${fake.url}/…` })]);
      fake.requests.length = 0;
      expect(await call<ChannelTestReport>('channels.test', { id: 'webhook' })).toMatchObject({ ok: true });
      expect(fake.requests[0]?.path).toBe('/old-hook?k=s3cret');

      const { secretSet: _s, secretHint: _h, legacy: _l, ...channel } = before[0]!;
      const saved = await call<ChannelView>('channels.save', { channel: { ...channel, name: 'Old hook', digestMinutes: 5 } });
      expect(saved).toMatchObject({ id: 'webhook', name: 'Old hook', secretSet: true });
      expect(saved.legacy).toBeUndefined();
      fake.requests.length = 0;
      expect(await call<ChannelTestReport>('channels.test', { id: 'webhook' })).toMatchObject({ ok: true });
      expect(fake.requests[0]?.path).toBe('/old-hook?k=s3cret');
      const config = JSON.parse(fs.readFileSync(path.join(home, 'config.json'), 'utf8')) as { settings: { monitoring: { alerts: { webhook: unknown; channels: unknown[] } } } };
      expect(config.settings.monitoring.alerts.webhook).toEqual({ enabled: false, format: 'json' });
      expect(config.settings.monitoring.alerts.channels).toHaveLength(1);
    } finally {
      await app.stop();
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
