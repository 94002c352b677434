import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { metricSampleSchema, type MetricSample } from '../../src/shared/metrics';
import { openService, postReport, request, validReport } from './helpers';

let t: ReturnType<typeof openService>;
let url: string;
let key: string;

beforeEach(async () => {
  t = openService();
  url = await t.listen();
  key = t.service.createKey('vm1').key;
});
afterEach(() => t.cleanup());

/** What a rejected request must leave untouched: the health record and the key file. */
function snapshot() {
  return { health: t.service.health('vm1').lastReportAt, keys: fs.readFileSync(path.join(t.home, 'agents.json'), 'utf8'), healthFile: fs.existsSync(path.join(t.home, 'health.json')) };
}

describe('agent receiver', () => {
  it('accepts a valid report, updates the server health and feeds the metrics history', async () => {
    const samples: { id: string; sample: MetricSample }[] = [];
    t.hooks.recordAgentSample = (id, sample) => samples.push({ id, sample });
    const answer = await postReport(url, key, validReport());
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ ok: true, serverId: 'vm1', state: 'healthy' });
    const health = t.service.health('vm1');
    expect(health.state).toBe('healthy');
    expect(health.figures).toMatchObject({ hostname: 'web-01', vmid: 101, node: 'pve1', cpuPercent: 12.5 });
    expect(health.lastReportAt).toBe(t.clock.now());
    expect(samples).toEqual([{ id: 'vm1', sample: { t: t.clock.now(), cpu: 12.5, memUsed: 1e9, memTotal: 4e9, diskUsed: 1e10, diskTotal: 5e10 } }]);
    expect(metricSampleSchema.safeParse(samples[0]?.sample).success).toBe(true);
  });

  it('refuses reports for a server no longer in the inventory with 410', async () => {
    t.servers.delete('vm1');
    const answer = await postReport(url, key, validReport());
    expect(answer.status).toBe(410);
    expect(answer.json.error?.message).toMatch(/no longer in Rackdeck/);
  });

  it('answers a ping without a key, and checks a key when one is given', async () => {
    const open = await request(`${url}/api/health/ping`);
    expect(open.status).toBe(200);
    expect(open.json).toMatchObject({ ok: true, service: 'rackdeck-agent-receiver' });
    expect((await request(`${url}/api/health/ping`, { headers: { Authorization: `Bearer ${key}` } })).json).toMatchObject({ serverId: 'vm1' });
    expect((await request(`${url}/api/health/ping`, { headers: { Authorization: 'Bearer rdk_nope' } })).status).toBe(401);
  });

  it('refuses bad input clearly and changes nothing', async () => {
    const before = snapshot();
    const cases: { name: string; send: () => ReturnType<typeof postReport>; status: number; match: RegExp; field?: string }[] = [
      { name: 'malformed JSON', send: () => postReport(url, key, '{"hostname": "x",'), status: 400, match: /Malformed JSON/ },
      { name: 'not an object', send: () => postReport(url, key, '[1,2]'), status: 400, match: /Invalid report/ },
      { name: 'wrong type', send: () => postReport(url, key, validReport({ cpuPercent: 'high' })), status: 400, match: /cpuPercent/, field: 'cpuPercent' },
      { name: 'out of range', send: () => postReport(url, key, validReport({ cpuPercent: 180 })), status: 400, match: /cpuPercent is 0 to 100/, field: 'cpuPercent' },
      { name: 'missing field', send: () => postReport(url, key, { ...validReport(), hostname: undefined }), status: 400, match: /hostname/, field: 'hostname' },
      { name: 'fractional bytes', send: () => postReport(url, key, validReport({ memTotalBytes: 1.5 })), status: 400, match: /memTotalBytes/, field: 'memTotalBytes' },
      { name: 'used above total', send: () => postReport(url, key, validReport({ diskUsedBytes: 60_000_000_000 })), status: 400, match: /diskUsedBytes is above/, field: 'diskUsedBytes' },
      { name: 'hostname with shell characters', send: () => postReport(url, key, validReport({ hostname: 'a;rm -rf /' })), status: 400, match: /hostname/, field: 'hostname' },
      { name: 'bad vmid', send: () => postReport(url, key, validReport({ vmid: 'abc' })), status: 400, match: /vmid/, field: 'vmid' },
      { name: 'wrong content type', send: () => postReport(url, key, JSON.stringify(validReport()), { 'Content-Type': 'text/plain' }), status: 415, match: /application\/json/ },
      { name: 'huge declared body', send: () => postReport(url, key, JSON.stringify(validReport({ pad: 'y'.repeat(100_000) }))), status: 413, match: /at most 16384 bytes/ },
      {
        name: 'huge chunked body',
        send: () =>
          request(`${url}/api/health/report`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` },
            body: JSON.stringify(validReport({ pad: 'z'.repeat(200_000) })),
            chunked: true,
          }),
        status: 413,
        match: /at most/,
      },
    ];
    for (const c of cases) {
      // Bad requests count against the agent's rate budget too; a token comes back every 5 s.
      await t.clock.advance(5_000);
      const answer = await c.send();
      expect(answer.status, c.name).toBe(c.status);
      expect(answer.json.ok, c.name).toBe(false);
      expect(answer.json.error?.message, c.name).toMatch(c.match);
      if (c.field) expect(Object.keys(answer.json.error?.fields ?? {}), c.name).toContain(c.field);
    }
    expect(snapshot()).toEqual(before);
  });

  it('refuses a missing, unknown or revoked key with 401 and logs no key value', async () => {
    const before = snapshot();
    const forged = `rdk_${'0'.repeat(16)}_${'A'.repeat(43)}`;
    const wrongSecret = key.slice(0, -4) + 'AAAA';
    expect((await postReport(url, undefined, validReport())).status).toBe(401);
    const unknown = await postReport(url, forged, validReport());
    expect(unknown.status).toBe(401);
    expect(unknown.json.error?.message).toBe('Unknown agent key');
    expect(unknown.headers['www-authenticate']).toMatch(/Bearer/);
    expect((await postReport(url, wrongSecret, validReport())).status).toBe(401);
    expect(snapshot()).toEqual(before);

    const revoked = t.service.revokeKeys({ serverId: 'vm1' });
    expect(revoked).toHaveLength(1);
    const afterRevoke = await postReport(url, key, validReport());
    expect(afterRevoke.status).toBe(401);
    expect(afterRevoke.json.error?.message).toMatch(/revoked/);
    expect(t.service.health('vm1').lastReportAt).toBeUndefined();

    const logged = t.log.lines.filter((l) => l.includes('agent receiver: refused'));
    expect(logged.length).toBeGreaterThanOrEqual(4);
    for (const secret of [key, forged, wrongSecret, key.slice('rdk_'.length + 17)]) {
      expect(t.log.lines.join('\n')).not.toContain(secret);
    }
    expect(logged.some((l) => /revoked key \(id [0-9a-f]{16}\)/.test(l))).toBe(true);
  });

  it('rate-limits a flood per agent with 429 and Retry-After, and refills with time', async () => {
    const answers = [];
    for (let i = 0; i < 10; i++) answers.push(await postReport(url, key, validReport()));
    const codes = answers.map((a) => a.status);
    expect(codes.slice(0, 6)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(codes.slice(6)).toEqual([429, 429, 429, 429]);
    expect(answers[6]?.headers['retry-after']).toBe('5');
    // Another agent is not slowed by this one's flood.
    const other = t.service.createKey('vm1', 'second').key;
    expect((await postReport(url, other, validReport())).status).toBe(200);
    await t.clock.advance(5_000);
    expect((await postReport(url, key, validReport())).status).toBe(200);
    expect((await postReport(url, key, validReport())).status).toBe(429);
  });

  it('slows down guessing: many bad keys from one address get 429', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 12; i++) codes.push((await postReport(url, `rdk_${'1'.repeat(16)}_${'B'.repeat(43)}`, validReport())).status);
    expect(codes.slice(0, 10).every((c) => c === 401)).toBe(true);
    expect(codes.slice(10)).toEqual([429, 429]);
    // Logged a few times, not once per request.
    expect(t.log.lines.filter((l) => l.includes('refused')).length).toBe(5);
  });

  it('serves only its two routes', async () => {
    expect((await request(`${url}/api/health/report`)).status).toBe(405);
    expect((await request(`${url}/api/ws`)).status).toBe(404);
    expect((await request(`${url}/`)).status).toBe(404);
    expect((await request(`${url}/api/health/ping`, { method: 'POST' })).status).toBe(405);
  });

  it('is off until enabled, and stops listening when disabled', async () => {
    const fresh = openService();
    try {
      fresh.service.start();
      expect(fresh.service.status()).toMatchObject({ enabled: false, listening: false });
      const status = await fresh.service.enableReceiver({ host: '127.0.0.1', port: 0 });
      expect(status.listening).toBe(true);
      expect((await request(`${status.url}/api/health/ping`)).status).toBe(200);
      const off = await fresh.service.disableReceiver();
      expect(off).toMatchObject({ enabled: false, listening: false });
      await expect(request(`${status.url}/api/health/ping`)).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      await fresh.cleanup();
    }
  });

  it('refuses to enable on a port in use and keeps the previous setting', async () => {
    const port = Number(new URL(url).port);
    const other = openService();
    try {
      other.service.start();
      await expect(other.service.enableReceiver({ host: '127.0.0.1', port })).rejects.toThrow(/Could not listen on 127.0.0.1:\d+: .*EADDRINUSE/);
      expect(other.service.status()).toMatchObject({ enabled: false, listening: false });
    } finally {
      await other.cleanup();
    }
  });
});
