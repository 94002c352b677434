import type { Channel, ChannelOfKind } from '../../../shared/contract/channels';
import { jsonPayload, ntfyRequest, type OutgoingAlert } from './message';

/**
 * The request each push service documents (pure): method, URL, headers and body, built from the
 * channel's settings, its secret and the alert. Sending it is io/http-channel.ts's job; e-mail
 * goes by SMTP instead (io/email.ts).
 *
 * - ntfy: POST {server}/ with the JSON publish body (topic inside), `Authorization: Bearer` when a token is set.
 * - Gotify: POST {server}/message, `X-Gotify-Key: <app token>`, {title, message, priority}.
 * - Discord: POST the webhook URL, {username, content, embeds:[{title, description, color}]}.
 * - Slack: POST the incoming-webhook URL, {text}.
 * - Telegram: POST {server}/bot<token>/sendMessage, {chat_id, text}.
 * - Matrix: PUT {server}/_matrix/client/v3/rooms/{room}/send/m.room.message/{txnId}, Bearer token, {msgtype: m.text, body}.
 * - Pushover: POST {server}/1/messages.json, form-encoded token, user, title, message, priority.
 * - Home Assistant: POST {server}/api/services/notify/{service}, Bearer token, {title, message}.
 */
export interface HttpRequestSpec {
  method: 'POST' | 'PUT';
  url: string;
  headers: Record<string, string>;
  body: string;
}

export type HttpChannel = Exclude<Channel, { kind: 'email' }>;

const JSON_TYPE = { 'content-type': 'application/json' };
const trimSlash = (s: string) => s.replace(/\/+$/, '');
const GOTIFY_PRIORITY: Record<OutgoingAlert['severity'], number> = { error: 8, warning: 5, info: 2 };
const PUSHOVER_PRIORITY: Record<OutgoingAlert['severity'], number> = { error: 1, warning: 0, info: -1 };
const DISCORD_COLOR: Record<OutgoingAlert['severity'], number> = { error: 0xd93025, warning: 0xf29900, info: 0x1e8e3e };
const PREFIX: Record<OutgoingAlert['event'], string> = { fired: '🔴', repeated: '🔴', resolved: '✅', test: '🔔', digest: '📋', escalated: '⏫' };

/** One line of plain text: the title, then the body. */
export function plainText(a: OutgoingAlert): string {
  return `${PREFIX[a.event]} ${a.title}\n${a.body}`;
}

function need(secret: string | undefined, what: string): string {
  if (!secret) throw new Error(`no ${what} is stored for this channel`);
  return secret;
}

export function buildHttpRequest(channel: HttpChannel, secret: string | undefined, alert: OutgoingAlert, txnId: string): HttpRequestSpec {
  switch (channel.kind) {
    case 'webhook':
      return webhookRequest(channel, need(secret, 'webhook URL'), alert);
    case 'ntfy': {
      const { url, body } = ntfyRequest(`${trimSlash(channel.settings.server)}/${channel.settings.topic}`, alert);
      return { method: 'POST', url, headers: { ...JSON_TYPE, ...(secret ? { authorization: `Bearer ${secret}` } : {}) }, body: JSON.stringify(body) };
    }
    case 'gotify':
      return {
        method: 'POST',
        url: `${trimSlash(channel.settings.server)}/message`,
        headers: { ...JSON_TYPE, 'x-gotify-key': need(secret, 'Gotify application token') },
        body: JSON.stringify({ title: alert.title, message: alert.body, priority: GOTIFY_PRIORITY[alert.severity] }),
      };
    case 'discord':
      return {
        method: 'POST',
        url: need(secret, 'Discord webhook URL'),
        headers: JSON_TYPE,
        body: JSON.stringify({
          username: channel.settings.username,
          content: `${PREFIX[alert.event]} ${alert.title}`.slice(0, 2000),
          embeds: [{ title: alert.title.slice(0, 256), description: alert.body.slice(0, 4096), color: DISCORD_COLOR[alert.severity], timestamp: new Date(alert.at).toISOString() }],
        }),
      };
    case 'slack':
      return { method: 'POST', url: need(secret, 'Slack webhook URL'), headers: JSON_TYPE, body: JSON.stringify({ text: plainText(alert) }) };
    case 'telegram':
      return {
        method: 'POST',
        url: `${trimSlash(channel.settings.server)}/bot${need(secret, 'Telegram bot token')}/sendMessage`,
        headers: JSON_TYPE,
        body: JSON.stringify({ chat_id: channel.settings.chatId, text: plainText(alert).slice(0, 4096), disable_web_page_preview: true }),
      };
    case 'matrix':
      return {
        method: 'PUT',
        url: `${trimSlash(channel.settings.server)}/_matrix/client/v3/rooms/${encodeURIComponent(channel.settings.room)}/send/m.room.message/${encodeURIComponent(txnId)}`,
        headers: { ...JSON_TYPE, authorization: `Bearer ${need(secret, 'Matrix access token')}` },
        body: JSON.stringify({ msgtype: 'm.text', body: plainText(alert) }),
      };
    case 'pushover':
      return {
        method: 'POST',
        url: `${trimSlash(channel.settings.server)}/1/messages.json`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          token: need(secret, 'Pushover application token'),
          user: channel.settings.user,
          title: alert.title.slice(0, 250),
          message: alert.body.slice(0, 1024) || alert.title,
          priority: String(PUSHOVER_PRIORITY[alert.severity]),
          timestamp: String(Math.floor(alert.at / 1000)),
        }).toString(),
      };
    case 'homeassistant':
      return {
        method: 'POST',
        url: `${trimSlash(channel.settings.server)}/api/services/notify/${channel.settings.service}`,
        headers: { ...JSON_TYPE, authorization: `Bearer ${need(secret, 'Home Assistant access token')}` },
        body: JSON.stringify({ title: alert.title, message: alert.body }),
      };
  }
}

function webhookRequest(channel: ChannelOfKind<'webhook'>, url: string, alert: OutgoingAlert): HttpRequestSpec {
  const { format, method, contentType } = channel.settings;
  if (format === 'ntfy') {
    const r = ntfyRequest(url, alert);
    return { method: 'POST', url: r.url, headers: JSON_TYPE, body: JSON.stringify(r.body) };
  }
  if (format === 'template' && channel.settings.template) {
    const json = contentType.includes('json');
    return { method, url, headers: { 'content-type': contentType }, body: renderTemplate(channel.settings.template, alert, json) };
  }
  return { method, url, headers: JSON_TYPE, body: JSON.stringify(jsonPayload(alert)) };
}

/**
 * `{{title}}`-style placeholders filled from the alert. In a JSON body each value is escaped as
 * the inside of a JSON string, so a quote in an alert cannot break (or inject into) the body.
 */
export function renderTemplate(template: string, a: OutgoingAlert, json: boolean): string {
  const values: Record<string, string> = {
    title: a.title,
    message: a.body,
    severity: a.severity,
    event: a.event,
    server: a.serverName ?? a.serverId ?? '',
    serverId: a.serverId ?? '',
    kind: a.kind ?? '',
    rule: a.ruleName ?? '',
    value: a.value !== undefined ? String(a.value) : '',
    time: new Date(a.at).toISOString(),
    alertId: a.alertId ?? '',
  };
  return template.replace(/\{\{\s*([A-Za-z]+)\s*\}\}/g, (whole, key: string) => {
    const v = values[key];
    if (v === undefined) return whole;
    return json ? JSON.stringify(v).slice(1, -1) : v;
  });
}
