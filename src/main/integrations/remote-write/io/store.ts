import type { MatrixSeries, OpenRemoteStore, RemoteStoreOptions } from '../../ports';

/**
 * A Prometheus-compatible store over HTTP (fetch): remote write 1.0 POSTs, and the PromQL API
 * for charts. Basic auth or a bearer token; each request gives up after REQUEST_TIMEOUT_MS.
 */
const REQUEST_TIMEOUT_MS = 15_000;

function authHeaders(o: RemoteStoreOptions): Record<string, string> {
  if (o.token) return { Authorization: `Bearer ${o.token}` };
  if (o.username) return { Authorization: `Basic ${Buffer.from(`${o.username}:${o.password ?? ''}`).toString('base64')}` };
  return {};
}

const reason = (error: unknown) => {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError') return `no answer within ${REQUEST_TIMEOUT_MS / 1000} s`;
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(error);
};

interface PromAnswer {
  status?: string;
  error?: string;
  data?: { resultType?: string; result?: Array<{ metric?: Record<string, string>; values?: Array<[number, string]>; value?: [number, string] }> };
}

export const openRemoteStore: OpenRemoteStore = (options) => {
  const auth = authHeaders(options);
  const api = async (path: string, params: Record<string, string>): Promise<MatrixSeries[]> => {
    let res: Response;
    try {
      res = await fetch(`${options.queryUrl}${path}`, {
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(params).toString(),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      throw new Error(`${options.queryUrl}: ${reason(error)}`);
    }
    const text = await res.text();
    let answer: PromAnswer;
    try {
      answer = JSON.parse(text) as PromAnswer;
    } catch {
      throw new Error(`${options.queryUrl}${path} answered ${res.status}, not PromQL JSON: ${text.slice(0, 200)}`);
    }
    if (!res.ok || answer.status !== 'success') throw new Error(answer.error ?? `${options.queryUrl}${path} answered ${res.status}`);
    return (answer.data?.result ?? []).map((r) => ({ metric: r.metric ?? {}, values: r.values ?? (r.value ? [r.value] : []) }));
  };
  return {
    async write(body) {
      let res: Response;
      try {
        res = await fetch(options.writeUrl, {
          method: 'POST',
          headers: { ...auth, 'Content-Type': 'application/x-protobuf', 'Content-Encoding': 'snappy', 'X-Prometheus-Remote-Write-Version': '0.1.0', 'User-Agent': 'rackdeck' },
          // A copy over a plain ArrayBuffer: what every lib's BodyInit accepts.
          body: new Uint8Array(body),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
      } catch (error) {
        throw new Error(`${options.writeUrl}: ${reason(error)}`);
      }
      return { status: res.status, message: (await res.text()).trim().slice(0, 500) };
    },
    // nocache: VictoriaMetrics would otherwise align the evaluation times to the step and cache the answer.
    queryRange: (query, startSec, endSec, stepSec) => api('/api/v1/query_range', { query, start: String(startSec), end: String(endSec), step: String(stepSec), nocache: '1' }),
    query: (query, timeSec) => api('/api/v1/query', { query, time: String(timeSec) }),
  };
};
