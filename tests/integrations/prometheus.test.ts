import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../src/lab/lab';
import type { SimHost } from '../../src/lab/hosts/host';
import { silentLogger } from '../../src/main/base/logger';
import { serveApp } from '../../src/main/faces/cli/commands/serve';
import type { WebServer } from '../../src/main/faces/web/server';
import { createApp, type RackdeckApp } from '../../src/main/root/app';
import type { ServerView } from '../../src/shared/server';
import type { IntegrationsStatus } from '../../src/shared/contract/integrations';
import { BIN, freePort, haveAll, promQuery, startPrometheus, waitUntil, type Running } from './servers';

/**
 * The exporter against a real Prometheus (Debian's package): `rackdeck serve` exposes /metrics
 * behind a scrape token, Prometheus scrapes it with that token, and a PromQL query returns a lab
 * host's CPU as Rackdeck measured it over SSH. promtool accepts the exposition. 127.0.119.x
 * belongs to this file.
 */
const ok = haveAll('Prometheus exporter tests', BIN.prometheus, BIN.promtool);
const SCRAPE_TOKEN = 'scrape-token-for-the-test-0123456789';

describe.skipIf(!ok)('Prometheus scrapes Rackdeck', () => {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-prom-'));
  let lab: Lab;
  let app: RackdeckApp;
  let web: WebServer;
  let prom: Running | undefined;
  let host: SimHost;
  let server: ServerView;
  const cpus: number[] = [];

  beforeAll(async () => {
    lab = await startLab({ proxmox: false, hosts: 2, seed: 119, firstAddress: '127.0.119.1', wolPort: 0, stateDir, bootDelayMs: 300, suspendDelayMs: 100, initialPower: 'on' });
    host = lab.hosts.find((h) => h.spec.os !== 'windows')!;
    app = createApp({ home: path.join(stateDir, 'home'), face: 'cli', log: silentLogger, power: { fastPollMs: 100 } });
    server = await app.router.handle('servers.add', {
      name: host.hostname,
      address: host.address,
      mac: host.mac,
      ports: [host.spec.ports.ssh],
      ssh: { user: host.spec.user, port: host.spec.ports.ssh, keyPath: lab.clientKey.privateKeyPath },
      wol: { directedBroadcast: false, limitedBroadcast: false, extraTargets: ['127.0.0.1'], ports: [lab.wol.port] },
    }, { face: 'test' }).then((r) => {
      if (!r.ok) throw new Error(r.error.message);
      return r.value as ServerView;
    });
    app.monitoring.onSample((id, s) => {
      if (id === server.id && s.cpu !== undefined) cpus.push(s.cpu);
    });
    const r = await app.router.handle('integrations.setSettings', { prometheus: { enabled: true }, secrets: { scrapeToken: SCRAPE_TOKEN } }, { face: 'test' });
    if (!r.ok) throw new Error(r.error.message);
    fs.mkdirSync(path.join(stateDir, 'renderer'));
    web = await serveApp(app, { host: '127.0.0.1', port: 0, env: { ...process.env, RACKDECK_RENDERER_DIR: path.join(stateDir, 'renderer') }, out: () => undefined });
    await waitUntil(() => app.engine.view(server.id)?.system?.initialisedAt !== undefined, 'the lab host initialised', 30_000);
    // Two passes: the second has the CPU share over the interval between them.
    await app.monitoring.tick();
    await waitUntil(async () => {
      await app.monitoring.tick();
      return cpus.length > 0;
    }, 'a CPU figure from the lab host');
  });

  afterAll(async () => {
    await prom?.stop();
    await web?.close();
    await app?.stop();
    await lab?.stop();
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  const metricsUrl = () => `http://127.0.0.1:${web.port}/metrics`;

  it('lets in the scrape token only: no token, a wrong one and the web face token are refused', async () => {
    expect((await fetch(metricsUrl())).status).toBe(401);
    expect((await fetch(metricsUrl(), { headers: { Authorization: 'Bearer wrong-token-wrong-token' } })).status).toBe(401);
    const webToken = app.engine.settings.web.token!;
    expect((await fetch(metricsUrl(), { headers: { Authorization: `Bearer ${webToken}` } })).status).toBe(401);
    const res = await fetch(metricsUrl(), { headers: { Authorization: `Bearer ${SCRAPE_TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const body = await res.text();
    expect(body).toContain(`rackdeck_server_power_state{server_id="${server.id}",server="${host.hostname}",state="on"} 1`);
    expect(body).toContain(`rackdeck_server_up{server_id="${server.id}",server="${host.hostname}"} 1`);
    expect(body).toMatch(/rackdeck_loop_iterations_total\{loop="metrics"\} \d+/);
  });

  it('promtool check metrics accepts the exposition', async () => {
    const body = await (await fetch(metricsUrl(), { headers: { Authorization: `Bearer ${SCRAPE_TOKEN}` } })).text();
    const r = spawnSync(BIN.promtool, ['check', 'metrics'], { input: body, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('Prometheus scrapes /metrics with the bearer token, and PromQL returns the lab host\'s CPU', async () => {
    const config = `global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: rackdeck
    authorization:
      type: Bearer
      credentials: ${SCRAPE_TOKEN}
    static_configs:
      - targets: ['127.0.0.1:${web.port}']
`;
    prom = await startPrometheus(path.join(stateDir, 'prometheus'), config);
    const result = await waitUntil(async () => {
      const r = await promQuery(prom!.url, `rackdeck_server_cpu_percent{server_id="${server.id}"}`);
      return r.length > 0 ? r : undefined;
    }, 'the lab host\'s CPU in Prometheus');
    expect(result[0]!.metric).toMatchObject({ job: 'rackdeck', instance: `127.0.0.1:${web.port}`, server: host.hostname });
    expect(cpus).toContain(result[0]!.value);
    const up = await promQuery(prom.url, 'up{job="rackdeck"}');
    expect(up[0]?.value).toBe(1);
    const power = await promQuery(prom.url, `rackdeck_server_power_state{server_id="${server.id}",state="on"}`);
    expect(power[0]?.value).toBe(1);
  });

  it('every query of the example Grafana dashboard parses and runs in Prometheus', async () => {
    const dash = JSON.parse(fs.readFileSync(path.join(__dirname, '../../assets/grafana/rackdeck-dashboard.json'), 'utf8')) as { panels: Array<{ title: string; targets: Array<{ expr: string }> }> };
    for (const panel of dash.panels) {
      for (const t of panel.targets) await expect(promQuery(prom!.url, t.expr.replaceAll('$server', '.*')), panel.title).resolves.toBeDefined();
    }
    const cpu = dash.panels.find((p) => p.title === 'CPU')!.targets[0]!.expr.replaceAll('$server', '.*');
    expect((await promQuery(prom!.url, cpu)).map((r) => r.metric.server)).toContain(host.hostname);
  });

  it('the desktop app\'s own loopback listener serves /metrics, to an allowed address without the token', async () => {
    const set = async (prometheus: object) => {
      const r = await app.router.handle('integrations.setSettings', { prometheus }, { face: 'test' });
      if (!r.ok) throw new Error(r.error.message);
    };
    const port = await freePort();
    await set({ enabled: true, allow: ['127.0.0.0/8'], listener: { host: '127.0.0.1', port } });
    const status = async () => {
      const r = await app.router.handle('integrations.status', {}, { face: 'test' });
      return r.ok ? (r.value as IntegrationsStatus).prometheus : undefined;
    };
    await waitUntil(async () => (await status())?.listener === `http://127.0.0.1:${port}/`, 'the listener');
    const url = `http://127.0.0.1:${port}/metrics`;
    const open = await fetch(url);
    expect(open.status).toBe(200);
    expect(await open.text()).toContain('rackdeck_server_up');
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(404);
    expect((await status())?.protection).toBe('token or allow-list');
    // An allow-list that does not hold the scraper: the token is needed again.
    await set({ enabled: true, allow: ['127.1.2.0/24'], listener: { host: '127.0.0.1', port } });
    await waitUntil(async () => (await fetch(url).catch(() => undefined))?.status === 401, 'the narrower allow-list');
    expect((await fetch(url, { headers: { Authorization: `Bearer ${SCRAPE_TOKEN}` } })).status).toBe(200);
    await set({ enabled: true });
    await waitUntil(async () => (await status())?.listener === undefined, 'the listener closed');
  });
});
