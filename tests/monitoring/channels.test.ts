import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type RackdeckApp } from '../../src/main/root/app';
import { FakeClock } from '../../src/main/base/clock';
import { silentLogger } from '../../src/main/base/logger';
import type { Prober } from '../../src/main/drivers/probe';
import { sendEmail } from '../../src/main/monitoring/io/email';
import { ntfyRequest, testAlert } from '../../src/main/monitoring/channels/message';
import { sendWebhook } from '../../src/main/monitoring/io/webhook';
import type { AlertConfigView, AlertView, ChannelTestResult } from '../../src/shared/contract/monitoring';
import type { Notice } from '../../src/shared/events';
import { startHttp, startSmtp, type HttpPeer, type SmtpPeer } from './loopback-peers';

let smtp: SmtpPeer;
let web: HttpPeer;
beforeAll(async () => {
  smtp = await startSmtp();
  web = await startHttp();
});
afterAll(async () => {
  await smtp?.close();
  await web?.close();
});
afterEach(() => {
  smtp.mails.length = 0;
  smtp.rejectRecipients = undefined;
  web.requests.length = 0;
  web.status = 200;
});

const emailChannel = () => ({ enabled: true, host: '127.0.0.1', port: smtp.port, security: 'none' as const, user: 'rackdeck', from: 'rackdeck@lab.test', to: ['admin@lab.test', 'oncall@lab.test'] });

describe('e-mail over SMTP (nodemailer) against a loopback SMTP server', () => {
  it('delivers the test message with the credentials, sender and recipients', async () => {
    const detail = await sendEmail(emailChannel(), 's3cret', testAlert(Date.UTC(2026, 0, 2, 3, 4, 5)));
    expect(detail).toBe(`accepted by 127.0.0.1:${smtp.port} for 2 recipient(s)`);
    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0]!;
    expect(mail.from).toBe('rackdeck@lab.test');
    expect(mail.to).toEqual(['admin@lab.test', 'oncall@lab.test']);
    expect(mail.auth).toEqual({ user: 'rackdeck', pass: 's3cret' });
    expect(mail.data).toMatch(/^Subject: \[TEST\] Rackdeck test notification$/m);
    expect(mail.data).toContain('Time: 2026-01-02T03:04:05.000Z');
  });

  it('a refused recipient is an error that says so', async () => {
    smtp.rejectRecipients = '550 5.1.1 no such user';
    await expect(sendEmail(emailChannel(), 'pw', testAlert(0))).rejects.toThrow(/no such user|550/);
    expect(smtp.mails).toHaveLength(0);
  });

  it('no SMTP server, or a user without a password: a clear error, nothing sent', async () => {
    await expect(sendEmail({ ...emailChannel(), host: '' }, undefined, testAlert(0))).rejects.toThrow('no SMTP server is set');
    await expect(sendEmail(emailChannel(), undefined, testAlert(0))).rejects.toThrow('no SMTP password is stored for rackdeck');
  });
});

describe('webhooks against a loopback HTTP server', () => {
  it('posts Rackdeck\'s JSON', async () => {
    const detail = await sendWebhook({ enabled: true, format: 'json' }, `${web.url}/hooks/rackdeck`, { ...testAlert(0), event: 'fired', severity: 'error', title: 'nas is down', body: 'gone', alertId: 'a1', kind: 'down', serverId: 'nas', serverName: 'nas' });
    expect(detail).toMatch(/answered 200$/);
    expect(web.requests).toHaveLength(1);
    const r = web.requests[0]!;
    expect(r).toMatchObject({ method: 'POST', path: '/hooks/rackdeck' });
    expect(r.headers['content-type']).toBe('application/json');
    expect(JSON.parse(r.body)).toEqual({
      source: 'rackdeck',
      event: 'fired',
      title: 'nas is down',
      message: 'gone',
      severity: 'error',
      at: '1970-01-01T00:00:00.000Z',
      alert: { id: 'a1', kind: 'down', serverId: 'nas', serverName: 'nas' },
    });
  });

  it('posts ntfy\'s JSON publish format to the server root, the topic from the URL', async () => {
    await sendWebhook({ enabled: true, format: 'ntfy' }, `${web.url}/rackdeck-alerts`, { ...testAlert(0), event: 'fired', severity: 'warning', title: 'web: CPU at 97 %', body: 'busy' });
    const r = web.requests[0]!;
    expect(r.path).toBe('/');
    expect(JSON.parse(r.body)).toEqual({ topic: 'rackdeck-alerts', title: 'web: CPU at 97 %', message: 'busy', priority: 4, tags: ['warning'] });
    expect(ntfyRequest('https://ntfy.example/sub/path/topic-1?x=1', { ...testAlert(0), event: 'resolved' })).toEqual({
      url: 'https://ntfy.example/sub/path',
      body: expect.objectContaining({ topic: 'topic-1', priority: 2, tags: ['white_check_mark'] }),
    });
    expect(() => ntfyRequest('https://ntfy.example/', testAlert(0))).toThrow(/names its topic/);
  });

  it('a non-2xx answer is an error with its status and reason', async () => {
    web.status = 403;
    await expect(sendWebhook({ enabled: true, format: 'json' }, web.url, testAlert(0))).rejects.toThrow('the webhook answered 403: topic not allowed');
  });
});

describe('channels through the router, and alerts reaching them', () => {
  let app: RackdeckApp;
  let home: string;
  let up = true;
  const clock = new FakeClock(Date.now());
  const notices: Notice[] = [];
  const alerts: AlertView[] = [];
  const probe: Prober = async (_a, ports) => ({ openPorts: Object.fromEntries(ports.map((p) => [String(p), up])), ...(up ? {} : { error: 'connection refused' }) });
  /** A status sweep, then the patch window on the fake clock: what the monitoring listens to. */
  const sweep = async () => {
    await app.engine.sweep();
    await clock.advance(100);
  };
  const call = async <T>(channel: string, input: unknown): Promise<T> => {
    const r = await app.router.handle(channel, input, { face: 'test' });
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message} ${JSON.stringify(r.error.fields ?? {})}`);
    return r.value as T;
  };

  beforeAll(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-channels-'));
    app = createApp({ home, face: 'cli', log: silentLogger, clock, probe });
    app.engine.events.on('notice', (n) => void notices.push(n));
    app.engine.events.on('alerts.changed', (a) => void alerts.push(a));
  });
  afterAll(async () => {
    await app?.stop();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('stores the channels, keeps the secrets out of the config and out of the view', async () => {
    const view = await call<AlertConfigView>('alerts.setChannels', { email: emailChannel(), password: 'hunter2', webhook: { enabled: true, format: 'json' }, url: `${web.url}/hook?token=abc` });
    expect(view.email).toMatchObject({ enabled: true, host: '127.0.0.1', passwordSet: true });
    expect(view.webhook).toEqual({ enabled: true, format: 'json', urlSet: true, urlHint: `${web.url}/…` });
    expect(JSON.stringify(view)).not.toContain('hunter2');
    expect(JSON.stringify(view)).not.toContain('token=abc');
    const config = fs.readFileSync(path.join(home, 'config.json'), 'utf8');
    expect(config).toContain('rackdeck@lab.test');
    expect(config).not.toContain('hunter2');
    expect(config).not.toContain('token=abc');
    const secrets = fs.readFileSync(path.join(home, 'monitoring', 'secrets.json'), 'utf8');
    expect(secrets).not.toContain('hunter2');
  });

  it('refuses an enabled channel without what it needs, field by field', async () => {
    const r = await app.router.handle('alerts.setChannels', { email: { enabled: true, host: '', from: '', to: [] } }, { face: 'test' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.fields).toMatchObject({ 'email.host': 'the SMTP server is required', 'email.from': 'a sender address is required', 'email.to': 'at least one recipient' });
    const bad = await app.router.handle('alerts.setChannels', { url: 'ftp://x' }, { face: 'test' });
    expect(bad.ok).toBe(false);
  });

  it('"send test" on each channel', async () => {
    expect(await call<ChannelTestResult>('alerts.testChannel', { channel: 'email' })).toEqual({ ok: true, detail: expect.stringContaining('accepted') });
    expect(smtp.mails[0]?.auth).toEqual({ user: 'rackdeck', pass: 'hunter2' });
    expect(await call<ChannelTestResult>('alerts.testChannel', { channel: 'webhook' })).toEqual({ ok: true, detail: expect.stringContaining('answered 200') });
    expect(web.requests[0]?.path).toBe('/hook?token=abc');
    expect(JSON.parse(web.requests[0]!.body)).toMatchObject({ event: 'test' });
    web.status = 500;
    expect(await call<ChannelTestResult>('alerts.testChannel', { channel: 'webhook' })).toEqual({ ok: false, detail: expect.stringContaining('500') });
  });

  it('a server going down raises an alert that reaches e-mail and the webhook; its return resolves it on both', async () => {
    await call('servers.add', { name: 'nas', address: '127.0.0.1', ports: [1] });
    app.engine.start();
    await clock.advance(100);
    expect(app.engine.view('nas')?.power).toBe('on');
    up = false;
    await sweep();
    expect(app.engine.view('nas')?.power).toBe('off');
    await waitFor(() => smtp.mails.length === 1 && web.requests.length === 1);
    expect(smtp.mails[0]?.data).toMatch(/^Subject: \[ALERT\] nas is down$/m);
    expect(JSON.parse(web.requests[0]!.body)).toMatchObject({ event: 'fired', severity: 'error', alert: { kind: 'down', serverId: 'nas' } });
    const active = await call<AlertView[]>('alerts.list', { state: 'active' });
    expect(active).toEqual([expect.objectContaining({ kind: 'down', serverId: 'nas', state: 'active', notifiedAt: expect.any(Number) })]);
    expect(alerts.at(-1)).toMatchObject({ kind: 'down', state: 'active' });
    // The engine's own "went down" notice covers the desktop: the alert adds no second one.
    expect(notices.filter((n) => n.title.includes('nas')).map((n) => n.title)).toEqual(['nas went down']);

    up = true;
    await sweep();
    await waitFor(() => smtp.mails.length === 2 && web.requests.length === 2);
    expect(smtp.mails[1]?.data).toMatch(/^Subject: \[RESOLVED\] nas is back$/m);
    expect(JSON.parse(web.requests[1]!.body)).toMatchObject({ event: 'resolved', severity: 'info' });
    expect(await call<AlertView[]>('alerts.list', { state: 'active' })).toEqual([]);
  });

  it('acknowledges through the router; the book is saved to alerts.json', async () => {
    up = false;
    await sweep();
    const [a] = await call<AlertView[]>('alerts.list', { state: 'active' });
    const acked = await call<AlertView>('alerts.ack', { id: a!.id });
    expect(acked.acknowledgedAt).toBeDefined();
    await waitFor(() => fs.existsSync(path.join(home, 'monitoring', 'alerts.json')) && fs.readFileSync(path.join(home, 'monitoring', 'alerts.json'), 'utf8').includes('acknowledgedAt'));
    const r = await app.router.handle('alerts.ack', { id: 'nope' }, { face: 'test' });
    expect(r.ok ? null : r.error.code).toBe('not_found');
  });
});

async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
