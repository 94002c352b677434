import http from 'node:http';
import type net from 'node:net';

/**
 * One loopback HTTP server (127.0.118.1) that answers as each push service does: the paths,
 * methods and auth each documents, and their own answers and refusals (Gotify's 401 JSON,
 * Telegram's `{ok:false}`, Matrix's `M_UNKNOWN_TOKEN`, Pushover's `status: 0`…). It records every
 * request so a test can assert what Rackdeck sent.
 */
export interface Recorded {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface ProviderFake {
  url: string;
  requests: Recorded[];
  /** The credentials the fake accepts. */
  tokens: { gotify: string; telegram: string; matrix: string; pushover: string; homeassistant: string; ntfy: string };
  close(): Promise<void>;
}

export const FAKE_HOST = '127.0.118.1';

type Answer = [number, unknown];

function route(r: Recorded, t: ProviderFake['tokens']): Answer {
  const bearer = (r.headers.authorization ?? '').replace(/^Bearer /, '');
  const json = (): Record<string, unknown> => {
    try {
      return JSON.parse(r.body) as Record<string, unknown>;
    } catch {
      return {};
    }
  };
  let m: RegExpExecArray | null;
  if (r.method === 'POST' && r.path === '/message') {
    if (r.headers['x-gotify-key'] !== t.gotify) return [401, { error: 'Unauthorized', errorCode: 401, errorDescription: 'you need to provide a valid access token or user credentials to access this api' }];
    const b = json();
    if (typeof b.message !== 'string' || !b.message) return [400, { error: 'Bad Request', errorCode: 400, errorDescription: "Field 'message' is required" }];
    return [200, { id: 1, appid: 1, message: b.message, title: b.title, priority: b.priority, date: new Date().toISOString() }];
  }
  if (r.method === 'POST' && (m = /^\/api\/webhooks\/(\d+)\/([^/?]+)$/.exec(r.path))) {
    const b = json();
    if (!b.content && !Array.isArray(b.embeds)) return [400, { message: 'Cannot send an empty message', code: 50006 }];
    return [204, undefined];
  }
  if (r.method === 'POST' && /^\/services\/[^/]+\/[^/]+\/[^/]+$/.test(r.path)) {
    return typeof json().text === 'string' ? [200, 'ok'] : [400, 'invalid_payload'];
  }
  if (r.method === 'POST' && (m = /^\/bot([^/]+)\/sendMessage$/.exec(r.path))) {
    if (m[1] !== t.telegram) return [401, { ok: false, error_code: 401, description: 'Unauthorized' }];
    const b = json();
    if (!b.chat_id) return [400, { ok: false, error_code: 400, description: 'Bad Request: chat_id is empty' }];
    return [200, { ok: true, result: { message_id: 7, chat: { id: Number(b.chat_id) }, date: 0, text: b.text } }];
  }
  if (r.method === 'PUT' && /^\/_matrix\/client\/v3\/rooms\/[^/]+\/send\/m\.room\.message\/[^/]+$/.test(r.path)) {
    if (bearer !== t.matrix) return [401, { errcode: 'M_UNKNOWN_TOKEN', error: 'Invalid access token passed.' }];
    return json().msgtype === 'm.text' ? [200, { event_id: '$abc:lab.test' }] : [400, { errcode: 'M_BAD_JSON', error: 'msgtype missing' }];
  }
  if (r.method === 'POST' && r.path === '/1/messages.json') {
    const form = new URLSearchParams(r.body);
    if (form.get('token') !== t.pushover) return [400, { token: 'invalid', errors: ['application token is invalid'], status: 0, request: 'r-1' }];
    return [200, { status: 1, request: 'r-2' }];
  }
  if (r.method === 'POST' && /^\/api\/services\/notify\/[a-z0-9_]+$/.test(r.path)) {
    if (bearer !== t.homeassistant) return [401, '401: Unauthorized'];
    return [200, []];
  }
  if (r.method === 'POST' && r.path === '/') {
    const b = json();
    if (typeof b.topic !== 'string') return [400, { code: 40001, http: 400, error: 'invalid request: topic missing' }];
    if (b.topic.startsWith('private') && bearer !== t.ntfy) return [403, { code: 40301, http: 403, error: 'forbidden' }];
    return [200, { id: 'n1', time: 0, event: 'message', topic: b.topic, message: b.message }];
  }
  // Anything else: a generic webhook receiver.
  return [200, 'ok'];
}

export async function startProviderFake(): Promise<ProviderFake> {
  const fake: ProviderFake = {
    url: '',
    requests: [],
    tokens: { gotify: 'AbCdEf.gotify', telegram: '123456:ABC-def_ghi', matrix: 'syt_matrix_token', pushover: 'azGDORePK8gMaC0QOYAMyEEuzJnyUi', homeassistant: 'ha.long.lived', ntfy: 'tk_ntfy' },
    close: async () => undefined,
  };
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (body += d));
    req.on('end', () => {
      const r: Recorded = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
      fake.requests.push(r);
      const [status, answer] = route(r, fake.tokens);
      if (answer === undefined) {
        res.writeHead(status);
        res.end();
      } else if (typeof answer === 'string') {
        res.writeHead(status, { 'content-type': 'text/plain' });
        res.end(answer);
      } else {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, FAKE_HOST, () => resolve()));
  fake.url = `http://${FAKE_HOST}:${(server.address() as net.AddressInfo).port}`;
  fake.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return fake;
}
