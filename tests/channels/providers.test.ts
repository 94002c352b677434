import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { channelSchema, type Channel, type ChannelInput } from '../../src/shared/contract/channels';
import { testAlert, type OutgoingAlert } from '../../src/main/monitoring/channels/message';
import { renderTemplate } from '../../src/main/monitoring/channels/providers';
import { sendChannel } from '../../src/main/monitoring/io/channel-send';
import { startSmtp, type SmtpPeer } from '../monitoring/loopback-peers';
import { startProviderFake, type ProviderFake } from './provider-fakes';

let fake: ProviderFake;
let smtp: SmtpPeer;
beforeAll(async () => {
  fake = await startProviderFake();
  smtp = await startSmtp();
});
afterAll(async () => {
  await fake?.close();
  await smtp?.close();
});
afterEach(() => {
  fake.requests.length = 0;
  smtp.mails.length = 0;
});

const AT = Date.UTC(2026, 11, 6, 7, 30, 0);
const alert: OutgoingAlert = { event: 'fired', title: 'nas is down', body: 'nas stopped answering on port 22', severity: 'error', at: AT, alertId: 'a1', ruleId: 'server-down', ruleName: 'Server went down', kind: 'down', serverId: 'nas', serverName: 'nas' };
const ch = (input: Omit<ChannelInput, 'id' | 'name'>): Channel => channelSchema.parse({ id: 'c1', name: 'C1', ...input });
const only = () => {
  expect(fake.requests).toHaveLength(1);
  return fake.requests[0]!;
};

describe('each channel sends its provider\'s documented request to a loopback fake of it', () => {
  it('ntfy: POST to the server root with the JSON publish body and a Bearer token', async () => {
    const detail = await sendChannel(ch({ kind: 'ntfy', settings: { server: fake.url, topic: 'private-lab' } }), fake.tokens.ntfy, alert);
    expect(detail).toMatch(/answered 200$/);
    const r = only();
    expect(r).toMatchObject({ method: 'POST', path: '/' });
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers.authorization).toBe(`Bearer ${fake.tokens.ntfy}`);
    expect(JSON.parse(r.body)).toEqual({ topic: 'private-lab', title: 'nas is down', message: 'nas stopped answering on port 22', priority: 5, tags: ['rotating_light'] });
    await expect(sendChannel(ch({ kind: 'ntfy', settings: { server: fake.url, topic: 'private-lab' } }), undefined, alert)).rejects.toThrow('answered 403: {"code":40301');
  });

  it('Gotify: POST /message with X-Gotify-Key and {title, message, priority}', async () => {
    await sendChannel(ch({ kind: 'gotify', settings: { server: `${fake.url}/` } }), fake.tokens.gotify, alert);
    const r = only();
    expect(r).toMatchObject({ method: 'POST', path: '/message' });
    expect(r.headers['x-gotify-key']).toBe(fake.tokens.gotify);
    expect(r.headers['content-type']).toBe('application/json');
    expect(JSON.parse(r.body)).toEqual({ title: 'nas is down', message: 'nas stopped answering on port 22', priority: 8 });
    await expect(sendChannel(ch({ kind: 'gotify', settings: { server: fake.url } }), 'wrong', alert)).rejects.toThrow(/answered 401: .*Unauthorized/);
    await expect(sendChannel(ch({ kind: 'gotify', settings: { server: fake.url } }), undefined, alert)).rejects.toThrow('no Gotify application token is stored');
  });

  it('Discord: POST the webhook URL with username, content and an embed; 204 is success', async () => {
    const detail = await sendChannel(ch({ kind: 'discord', settings: {} }), `${fake.url}/api/webhooks/112233/tok-EN`, alert);
    expect(detail).toMatch(/answered 204$/);
    const r = only();
    expect(r).toMatchObject({ method: 'POST', path: '/api/webhooks/112233/tok-EN' });
    expect(JSON.parse(r.body)).toEqual({
      username: 'Rackdeck',
      content: '🔴 nas is down',
      embeds: [{ title: 'nas is down', description: 'nas stopped answering on port 22', color: 0xd93025, timestamp: '2026-12-06T07:30:00.000Z' }],
    });
  });

  it('Slack: POST the incoming-webhook URL with {text}', async () => {
    await sendChannel(ch({ kind: 'slack', settings: {} }), `${fake.url}/services/T000/B000/XXXX`, { ...alert, event: 'resolved', severity: 'info', title: 'nas is back', body: 'answering again' });
    const r = only();
    expect(r).toMatchObject({ method: 'POST', path: '/services/T000/B000/XXXX' });
    expect(JSON.parse(r.body)).toEqual({ text: '✅ nas is back\nanswering again' });
  });

  it('Telegram: POST /bot<token>/sendMessage with {chat_id, text}', async () => {
    await sendChannel(ch({ kind: 'telegram', settings: { server: fake.url, chatId: '-1001234' } }), fake.tokens.telegram, alert);
    const r = only();
    expect(r).toMatchObject({ method: 'POST', path: `/bot${fake.tokens.telegram}/sendMessage` });
    expect(JSON.parse(r.body)).toEqual({ chat_id: '-1001234', text: '🔴 nas is down\nnas stopped answering on port 22', disable_web_page_preview: true });
    await expect(sendChannel(ch({ kind: 'telegram', settings: { server: fake.url, chatId: '1' } }), '1:bad', alert)).rejects.toThrow(/answered 401: .*"ok":false/);
  });

  it('Matrix: PUT /_matrix/client/v3/rooms/{room}/send/m.room.message/{txn} with a Bearer token, a new txn each time', async () => {
    const channel = ch({ kind: 'matrix', settings: { server: fake.url, room: '!ops:lab.test' } });
    await sendChannel(channel, fake.tokens.matrix, alert);
    await sendChannel(channel, fake.tokens.matrix, alert);
    expect(fake.requests).toHaveLength(2);
    const [a, b] = fake.requests as [typeof fake.requests[0], typeof fake.requests[0]];
    expect(a.method).toBe('PUT');
    expect(a.path).toMatch(/^\/_matrix\/client\/v3\/rooms\/!ops%3Alab\.test\/send\/m\.room\.message\/rackdeck-\d+-\d+$/);
    expect(a.path).not.toBe(b.path);
    expect(a.headers.authorization).toBe(`Bearer ${fake.tokens.matrix}`);
    expect(JSON.parse(a.body)).toEqual({ msgtype: 'm.text', body: '🔴 nas is down\nnas stopped answering on port 22' });
    await expect(sendChannel(channel, 'nope', alert)).rejects.toThrow('M_UNKNOWN_TOKEN');
  });

  it('Pushover: POST /1/messages.json, form-encoded token, user, title, message, priority', async () => {
    await sendChannel(ch({ kind: 'pushover', settings: { server: fake.url, user: 'uQiRzpo4DXghDmr9QzzfQu27cmVRsG' } }), fake.tokens.pushover, alert);
    const r = only();
    expect(r).toMatchObject({ method: 'POST', path: '/1/messages.json' });
    expect(r.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(r.body))).toEqual({
      token: fake.tokens.pushover,
      user: 'uQiRzpo4DXghDmr9QzzfQu27cmVRsG',
      title: 'nas is down',
      message: 'nas stopped answering on port 22',
      priority: '1',
      timestamp: String(AT / 1000),
    });
    await expect(sendChannel(ch({ kind: 'pushover', settings: { server: fake.url, user: 'u1' } }), 'bad', alert)).rejects.toThrow('application token is invalid');
  });

  it('Home Assistant: POST /api/services/notify/<service> with a Bearer token and {title, message}', async () => {
    await sendChannel(ch({ kind: 'homeassistant', settings: { server: fake.url, service: 'mobile_app_phone' } }), fake.tokens.homeassistant, alert);
    const r = only();
    expect(r).toMatchObject({ method: 'POST', path: '/api/services/notify/mobile_app_phone' });
    expect(r.headers.authorization).toBe(`Bearer ${fake.tokens.homeassistant}`);
    expect(JSON.parse(r.body)).toEqual({ title: 'nas is down', message: 'nas stopped answering on port 22' });
    await expect(sendChannel(ch({ kind: 'homeassistant', settings: { server: fake.url } }), 'bad', alert)).rejects.toThrow('401: Unauthorized');
  });

  it('webhook: Rackdeck\'s JSON, or the admin\'s template with JSON-escaped values, with the chosen method', async () => {
    await sendChannel(ch({ kind: 'webhook', settings: {} }), `${fake.url}/hooks/a?k=1`, alert);
    expect(only()).toMatchObject({ method: 'POST', path: '/hooks/a?k=1' });
    expect(JSON.parse(fake.requests[0]!.body)).toMatchObject({ source: 'rackdeck', event: 'fired', title: 'nas is down', alert: { kind: 'down', serverId: 'nas' } });
    fake.requests.length = 0;
    const template = '{"text":"{{title}} ({{severity}}) on {{server}}","at":"{{time}}"}';
    await sendChannel(ch({ kind: 'webhook', settings: { format: 'template', method: 'PUT', template } }), `${fake.url}/custom`, { ...alert, title: 'say "hi"\nnow' });
    const r = only();
    expect(r).toMatchObject({ method: 'PUT', path: '/custom' });
    expect(JSON.parse(r.body)).toEqual({ text: 'say "hi"\nnow (error) on nas', at: '2026-12-06T07:30:00.000Z' });
    expect(renderTemplate('{{title}} {{unknown}}', alert, false)).toBe('nas is down {{unknown}}');
  });

  it('e-mail: SMTP to a loopback server with the login, sender and recipients', async () => {
    const channel = ch({ kind: 'email', settings: { host: '127.0.0.1', port: smtp.port, security: 'none', user: 'rd', from: 'rd@lab.test', to: ['ops@lab.test'] } });
    expect(await sendChannel(channel, 'pw', testAlert(AT))).toContain('accepted');
    expect(smtp.mails).toEqual([expect.objectContaining({ from: 'rd@lab.test', to: ['ops@lab.test'], auth: { user: 'rd', pass: 'pw' } })]);
    expect(smtp.mails[0]!.data).toMatch(/^Subject: \[TEST\] Rackdeck test notification$/m);
  });
});
