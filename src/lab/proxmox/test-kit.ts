/**
 * Helpers for driving the simulated cluster from tests and benchmarks: a stand-in node host
 * with a settable power state, and a small HTTPS client that trusts the lab's certificate.
 */
import { request } from 'node:https';
import { gunzipSync } from 'node:zlib';
import type { LabNodeHost, LabPower } from '../types';

export interface FakeNodeHost extends LabNodeHost {
  setPower(power: LabPower): void;
}

export function fakeNodeHost(hostname: string, address = '127.0.0.1', port = 0): FakeNodeHost {
  let power: LabPower = 'on';
  const listeners = new Set<(p: LabPower) => void>();
  return {
    info: {
      id: hostname,
      hostname,
      address,
      mac: '02:00:00:00:00:01',
      os: 'proxmox',
      role: 'proxmox',
      ports: { ssh: 22, proxmox: port },
    },
    power: () => power,
    onPowerChange: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setPower: (next) => {
      if (next === power) return;
      power = next;
      for (const l of [...listeners]) l(next);
    },
  };
}

export interface LabAuth {
  token?: string;
  ticket?: string;
  csrf?: string;
}

export interface LabResponse<T = unknown> {
  status: number;
  reason: string;
  headers: Record<string, string | string[] | undefined>;
  /** Raw body text ('' when empty). */
  text: string;
  /** Parsed JSON envelope, when the body is JSON. */
  body?: { data: T; total?: number; message?: string; errors?: Record<string, string> };
}

export interface LabCallOptions {
  method?: string;
  auth?: LabAuth;
  /** Form-encoded body (POST/PUT) or query (GET/DELETE). */
  params?: Record<string, string | number>;
  /** JSON body instead of a form. */
  json?: Record<string, unknown>;
  ca: string;
  headers?: Record<string, string>;
}

/** Calls `${baseUrl}/api2/json${path}`. */
export function labCall<T = unknown>(baseUrl: string, path: string, opts: LabCallOptions): Promise<LabResponse<T>> {
  const method = opts.method ?? 'GET';
  const url = new URL(`${baseUrl}/api2/json${path}`);
  const form = new URLSearchParams(Object.entries(opts.params ?? {}).map(([k, v]): [string, string] => [k, String(v)]));
  let payload: string | undefined;
  const headers: Record<string, string> = { 'Accept-Encoding': 'gzip', ...opts.headers };
  if (opts.json) {
    payload = JSON.stringify(opts.json);
    headers['Content-Type'] = 'application/json';
  } else if (method === 'POST' || method === 'PUT') {
    payload = form.toString();
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
  } else {
    for (const [k, v] of form) url.searchParams.append(k, v);
  }
  if (payload !== undefined) headers['Content-Length'] = String(Buffer.byteLength(payload));
  if (opts.auth?.token) headers.Authorization = opts.auth.token;
  if (opts.auth?.ticket) headers.Cookie = `PVEAuthCookie=${encodeURIComponent(opts.auth.ticket)}`;
  if (opts.auth?.csrf) headers.CSRFPreventionToken = opts.auth.csrf;
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, ca: opts.ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        let raw = Buffer.concat(chunks);
        if (res.headers['content-encoding'] === 'gzip') raw = gunzipSync(raw);
        const text = raw.toString('utf8');
        let body: LabResponse<T>['body'];
        if (text.length > 0 && String(res.headers['content-type'] ?? '').includes('application/json')) {
          body = JSON.parse(text) as LabResponse<T>['body'];
        }
        resolve({ status: res.statusCode ?? 0, reason: res.statusMessage ?? '', headers: res.headers, text, body });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}
