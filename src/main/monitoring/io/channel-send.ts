import type { Channel } from '../../../shared/contract/channels';
import type { OutgoingAlert } from '../channels/message';
import { buildHttpRequest, type HttpRequestSpec } from '../channels/providers';
import { sendEmail } from './email';

/**
 * Sends one alert on one channel: by SMTP for e-mail, else the provider's documented HTTP
 * request (channels/providers.ts). A 2xx answer is success; anything else is reported with its
 * status and the start of the body, which is where services say why. Redirects are refused: a
 * redirect could carry a token in a header to a host the admin never named.
 */
export interface ChannelSendOptions {
  timeoutMs?: number;
}

let txn = 0;

export async function sendChannel(channel: Channel, secret: string | undefined, alert: OutgoingAlert, options: ChannelSendOptions = {}): Promise<string> {
  if (channel.kind === 'email') return sendEmail({ enabled: true, ...channel.settings }, secret, alert, options);
  // Matrix wants a transaction id unique per access token: time and a counter make it so across restarts.
  const spec = buildHttpRequest(channel, secret, alert, `rackdeck-${Date.now()}-${++txn}`);
  return sendHttp(spec, options);
}

export async function sendHttp(spec: HttpRequestSpec, options: ChannelSendOptions = {}): Promise<string> {
  const response = await fetch(spec.url, {
    method: spec.method,
    headers: { 'user-agent': 'Rackdeck', ...spec.headers },
    body: spec.body,
    signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    redirect: 'error',
  });
  const text = (await response.text()).slice(0, 300);
  if (!response.ok) throw new Error(`${new URL(spec.url).host} answered ${response.status}${text.trim() ? `: ${text.trim().split('\n')[0]}` : ''}`);
  return `${new URL(spec.url).host} answered ${response.status}`;
}
