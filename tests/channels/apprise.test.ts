import { describe, expect, it } from 'vitest';
import { channelSchema } from '../../src/shared/contract/channels';
import { parseAppriseUrl } from '../../src/main/monitoring/channels/apprise';

/** Apprise-style URLs, one row each: the channel it becomes and the secret kept apart. */
const TABLE: Array<[string, unknown, string | undefined]> = [
  ['tgram://123456:ABC-def_ghi/-1001234', { kind: 'telegram', settings: { chatId: '-1001234' } }, '123456:ABC-def_ghi'],
  ['discord://112233/tok-EN', { kind: 'discord', settings: { username: 'Rackdeck' } }, 'https://discord.com/api/webhooks/112233/tok-EN'],
  ['slack://T000/B000/XXXX/#ops', { kind: 'slack', settings: {} }, 'https://hooks.slack.com/services/T000/B000/XXXX'],
  ['gotify://gotify.lab.test/AbCdEf', { kind: 'gotify', settings: { server: 'http://gotify.lab.test' } }, 'AbCdEf'],
  ['gotifys://push.lab.test:8443/sub/AbCdEf', { kind: 'gotify', settings: { server: 'https://push.lab.test:8443/sub' } }, 'AbCdEf'],
  ['ntfy://rackdeck-alerts', { kind: 'ntfy', settings: { server: 'https://ntfy.sh', topic: 'rackdeck-alerts' } }, undefined],
  ['ntfys://tk_abc@ntfy.lab.test/alerts', { kind: 'ntfy', settings: { server: 'https://ntfy.lab.test', topic: 'alerts' } }, 'tk_abc'],
  ['ntfy://ntfy.lab.test:8080/alerts?token=tk_q', { kind: 'ntfy', settings: { server: 'http://ntfy.lab.test:8080', topic: 'alerts' } }, 'tk_q'],
  ['matrixs://syt_token@matrix.lab.test/#ops', { kind: 'matrix', settings: { server: 'https://matrix.lab.test', room: '#ops:matrix.lab.test' } }, 'syt_token'],
  ['matrix://bot:syt_token@matrix.lab.test:8008/!abc:lab.test', { kind: 'matrix', settings: { server: 'http://matrix.lab.test:8008', room: '!abc:lab.test' } }, 'syt_token'],
  ['pover://uQiRzpo4DXghDmr9QzzfQu27cmVRsG@azGDORePK8gMaC0QOYAMyEEuzJnyUi', { kind: 'pushover', settings: { user: 'uQiRzpo4DXghDmr9QzzfQu27cmVRsG' } }, 'azGDORePK8gMaC0QOYAMyEEuzJnyUi'],
  ['hassio://ha.lab.test/ha.long.lived?service=notify.mobile_app_phone', { kind: 'homeassistant', settings: { server: 'http://ha.lab.test:8123', service: 'mobile_app_phone' } }, 'ha.long.lived'],
  ['hassios://ha.lab.test:443/tok', { kind: 'homeassistant', settings: { server: 'https://ha.lab.test:443', service: 'notify' } }, 'tok'],
  ['mailto://rd:pw@smtp.lab.test?to=ops@lab.test,me@lab.test', { kind: 'email', settings: { host: 'smtp.lab.test', port: 587, security: 'starttls', user: 'rd', from: 'rd@smtp.lab.test', to: ['ops@lab.test', 'me@lab.test'] } }, 'pw'],
  ['mailtos://rd%40lab.test:p%40ss@smtp.lab.test', { kind: 'email', settings: { host: 'smtp.lab.test', port: 465, security: 'tls', user: 'rd@lab.test', from: 'rd@lab.test', to: ['rd@lab.test'] } }, 'p@ss'],
  ['jsons://hooks.lab.test/in/rackdeck', { kind: 'webhook', settings: { format: 'json', method: 'POST' } }, 'https://hooks.lab.test/in/rackdeck'],
  ['json://u:p@hooks.lab.test:8080/in', { kind: 'webhook', settings: { format: 'json', method: 'POST' } }, 'http://u:p@hooks.lab.test:8080/in'],
  ['https://hooks.lab.test/x?token=1', { kind: 'webhook', settings: { format: 'json', method: 'POST' } }, 'https://hooks.lab.test/x?token=1'],
];

describe('Apprise-style URLs', () => {
  it.each(TABLE)('%s', (url, expected, secret) => {
    const parsed = parseAppriseUrl(url);
    expect(parsed).toMatchObject(expected as object);
    expect(parsed.secret).toBe(secret);
    // The settings keep no secret, and the result is a valid channel.
    if (secret) expect(JSON.stringify(parsed.settings)).not.toContain(secret);
    const { secret: _secret, ...channel } = parsed;
    expect(channelSchema.safeParse({ id: 'x', ...channel }).error).toBeUndefined();
  });

  it.each([
    ['nope', /scheme:\/\//],
    ['foo://x/y', /"foo:\/\/" is not a scheme Rackdeck knows/],
    ['tgram://notatoken/1', /bot token looks like/],
    ['discord://abc/tok', /webhook id is a number/],
    ['slack://T/B', /three tokens/],
    ['gotify://host', /application token/],
    ['pover://onlytoken', /user key/],
    ['mailto://smtp.lab.test', /no sender/],
    ['gotify://h:99999/t', /port 99999/],
  ])('refuses %s with a clear reason', (url, reason) => {
    expect(() => parseAppriseUrl(url)).toThrow(reason);
  });
});
