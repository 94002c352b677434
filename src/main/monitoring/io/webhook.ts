import type { WebhookChannel } from '../../../shared/contract/monitoring';
import { jsonPayload, ntfyRequest, type OutgoingAlert } from '../channels/message';

/**
 * A webhook: one JSON POST, Rackdeck's own body or ntfy's. A 2xx answer is success; anything
 * else is reported with its status and the start of the body, which is where services say why.
 */
export async function sendWebhook(channel: WebhookChannel, url: string, alert: OutgoingAlert, options: { timeoutMs?: number } = {}): Promise<string> {
  const request = channel.format === 'ntfy' ? ntfyRequest(url, alert) : { url, body: jsonPayload(alert) };
  const response = await fetch(request.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'Rackdeck' },
    body: JSON.stringify(request.body),
    signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    redirect: 'error',
  });
  const text = (await response.text()).slice(0, 300);
  if (!response.ok) throw new Error(`the webhook answered ${response.status}${text.trim() ? `: ${text.trim().split('\n')[0]}` : ''}`);
  return `${new URL(request.url).host} answered ${response.status}`;
}
