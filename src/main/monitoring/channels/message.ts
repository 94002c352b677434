import type { AlertSeverity, AlertView } from '../../../shared/contract/monitoring';

/**
 * What an alert says on each channel (pure): the e-mail's subject and text, Rackdeck's own
 * JSON body, and ntfy's JSON publish body (topic taken from the URL's path, so the admin can
 * paste the topic URL they already use with the ntfy app).
 */
export interface OutgoingAlert {
  event: 'fired' | 'repeated' | 'resolved' | 'test' | 'digest' | 'escalated';
  title: string;
  body: string;
  severity: AlertSeverity | 'info';
  at: number;
  alertId?: string;
  ruleId?: string;
  ruleName?: string;
  kind?: string;
  serverId?: string;
  serverName?: string;
  value?: number;
}

export function outgoingOf(alert: AlertView, event: OutgoingAlert['event'], message?: { title: string; body: string }): OutgoingAlert {
  return {
    event,
    title: message?.title ?? alert.title,
    body: message?.body ?? alert.body,
    severity: event === 'resolved' ? 'info' : alert.severity,
    at: event === 'resolved' ? (alert.resolvedAt ?? alert.updatedAt) : alert.updatedAt,
    alertId: alert.id,
    ruleId: alert.ruleId,
    ruleName: alert.ruleName,
    kind: alert.kind,
    ...(alert.serverId ? { serverId: alert.serverId } : {}),
    ...(alert.serverName ? { serverName: alert.serverName } : {}),
    ...(alert.value !== undefined ? { value: alert.value } : {}),
  };
}

export function testAlert(at: number): OutgoingAlert {
  return { event: 'test', title: 'Rackdeck test notification', body: 'If you can read this, Rackdeck can reach you on this channel.', severity: 'info', at };
}

const PREFIX: Record<OutgoingAlert['event'], string> = { fired: '[ALERT]', repeated: '[ALERT]', resolved: '[RESOLVED]', test: '[TEST]', digest: '[DIGEST]', escalated: '[ESCALATED]' };

/** Header-safe: no line breaks can reach the Subject (header injection). */
const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ').slice(0, 300);

export function emailOf(a: OutgoingAlert): { subject: string; text: string } {
  const lines = [
    a.body,
    '',
    ...(a.serverName ? [`Server: ${a.serverName}${a.serverId && a.serverId !== a.serverName ? ` (${a.serverId})` : ''}`] : []),
    ...(a.ruleName ? [`Rule: ${a.ruleName}`] : []),
    ...(a.value !== undefined ? [`Value: ${a.value} %`] : []),
    `Time: ${new Date(a.at).toISOString()}`,
    '',
    '— Rackdeck',
  ];
  return { subject: oneLine(`${PREFIX[a.event]} ${a.title}`), text: lines.join('\n') };
}

export interface JsonPayload {
  source: 'rackdeck';
  event: OutgoingAlert['event'];
  title: string;
  message: string;
  severity: OutgoingAlert['severity'];
  at: string;
  alert?: { id?: string; ruleId?: string; ruleName?: string; kind?: string; serverId?: string; serverName?: string; value?: number };
}

export function jsonPayload(a: OutgoingAlert): JsonPayload {
  return {
    source: 'rackdeck',
    event: a.event,
    title: a.title,
    message: a.body,
    severity: a.severity,
    at: new Date(a.at).toISOString(),
    ...(a.event === 'test' || a.event === 'digest'
      ? {}
      : { alert: { id: a.alertId, ruleId: a.ruleId, ruleName: a.ruleName, kind: a.kind, serverId: a.serverId, serverName: a.serverName, ...(a.value !== undefined ? { value: a.value } : {}) } }),
  };
}

export interface NtfyRequest {
  /** The server's root: ntfy's JSON publishing is a POST there with the topic in the body. */
  url: string;
  body: { topic: string; title: string; message: string; priority: number; tags: string[] };
}

const NTFY_PRIORITY: Record<OutgoingAlert['severity'], number> = { error: 5, warning: 4, info: 3 };

export function ntfyRequest(topicUrl: string, a: OutgoingAlert): NtfyRequest {
  const url = new URL(topicUrl);
  const parts = url.pathname.split('/').filter(Boolean);
  const topic = parts.pop();
  if (!topic) throw new Error('an ntfy URL names its topic, like https://ntfy.sh/my-topic');
  url.pathname = `/${parts.join('/')}`;
  url.search = '';
  url.hash = '';
  const tags = a.event === 'resolved' ? ['white_check_mark'] : a.event === 'test' ? ['bell'] : a.event === 'digest' ? ['clipboard'] : a.severity === 'error' ? ['rotating_light'] : ['warning'];
  return {
    url: url.toString(),
    body: { topic: decodeURIComponent(topic), title: a.title, message: a.body, priority: a.event === 'resolved' ? 2 : NTFY_PRIORITY[a.severity], tags },
  };
}

/** Several alerts gathered into one message (a channel's digest): the newest last, one line each. */
export function digestOf(alerts: readonly OutgoingAlert[], at: number): OutgoingAlert {
  const worst = alerts.some((a) => a.severity === 'error') ? 'error' : alerts.some((a) => a.severity === 'warning') ? 'warning' : 'info';
  const line = (a: OutgoingAlert) => `${new Date(a.at).toISOString().slice(11, 16)} ${PREFIX[a.event]} ${a.title}`;
  return { event: 'digest', title: `Rackdeck: ${alerts.length} alert update${alerts.length === 1 ? '' : 's'}`, body: alerts.map(line).join('\n'), severity: worst, at };
}
