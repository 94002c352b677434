import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { Cleanup, launchBrowser, makeHome, newAppPage, screenshot, startServe, type AppPage, type Served } from './harness';
import { BIN, haveAll, startMosquitto, waitUntil, type Running } from '../integrations/servers';
import fs from 'node:fs';
import mqtt from 'mqtt';
import os from 'node:os';
import path from 'node:path';

// Issue 19's settings page, in Chromium against `rackdeck serve`: the Prometheus exporter is
// turned on with a generated scrape token (and /metrics then answers to it), the broker is
// tested against a real mosquitto, and a remote store that is not there says so.
// 127.0.123.x is this file's block.

const withBroker = haveAll('the MQTT part of the integrations page test', BIN.mosquitto);
const suite = new Cleanup();
let browser: Browser;
let app: AppPage;
let page: Page;
let served: Served;
let broker: Running | undefined;

beforeAll(async () => {
  const home = makeHome(suite, { servers: [{ id: 'nas', name: 'nas', address: '127.0.123.1', ports: [22] }] });
  served = await startServe(suite, home);
  if (withBroker) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-e2e-broker-'));
    broker = await startMosquitto(dir);
    suite.add('stop mosquitto', async () => {
      await broker?.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });
  }
  browser = await launchBrowser(suite);
  app = await newAppPage(browser, suite);
  page = app.page;
  await page.goto(served.openUrl);
  await page.getByTestId('open-integrations').click();
  await page.getByTestId('integrations-panel').waitFor();
});

afterAll(() => suite.run());

describe('the integrations page', () => {
  it('turns the exporter on with a generated scrape token; /metrics answers to it and to nothing else', async () => {
    const card = page.getByTestId('integration-prometheus');
    await expect(card.getByText('Off: /metrics answers 404.')).toBeDefined();
    await page.getByTestId('prometheus-enabled').check();
    await page.getByTestId('scrape-token-generate').click();
    const token = await page.getByTestId('field-scrape-token').inputValue();
    expect(token).toMatch(/^[0-9a-f]{48}$/);
    await page.getByTestId('prometheus-test').click();
    await page.getByTestId('prometheus-result').filter({ hasText: 'series' }).waitFor();
    expect(await page.getByTestId('prometheus-result').getAttribute('data-ok')).toBe('true');
    await card.getByText('On, protected by token.').waitFor();
    expect(await page.getByTestId('field-scrape-token').inputValue()).toBe('');
    await screenshot(page, 'integrations-prometheus');
    const metrics = `${served.origin.replace(/\/$/, '')}/metrics`;
    expect((await fetch(metrics)).status).toBe(401);
    expect((await fetch(metrics, { headers: { Authorization: `Bearer ${served.token}` } })).status).toBe(401);
    const ok = await fetch(metrics, { headers: { Authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('rackdeck_server_power_state{server_id="nas"');
  });

  it.skipIf(!withBroker)('connects to the broker and says so', async () => {
    await page.getByTestId('integrations-tab-mqtt').click();
    await page.getByTestId('mqtt-enabled').check();
    await page.getByTestId('field-mqtt-url').fill(broker!.url);
    await page.getByTestId('mqtt-test').click();
    await page.getByTestId('mqtt-result').filter({ hasText: 'Connected to' }).waitFor();
    await page.getByTestId('mqtt-status').getByText('1 device(s) published').waitFor({ timeout: 15_000 });
    await screenshot(page, 'integrations-mqtt');
  });

  it('refuses a bad URL with a message under its field, and tells when the store does not answer', async () => {
    await page.getByTestId('integrations-tab-remoteWrite').click();
    await page.getByTestId('field-remote-write-url').fill('ftp://127.0.123.9/x');
    await page.getByTestId('remoteWrite-save').click();
    await page.getByTestId('error-remote-write-url').waitFor();
    await page.getByTestId('field-remote-write-url').fill('http://127.0.123.9:18428/api/v1/write');
    await page.getByTestId('remoteWrite-test').click();
    await page.getByTestId('remoteWrite-result').filter({ hasText: 'Could not write' }).waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('remoteWrite-result').getAttribute('data-ok')).toBe('false');
    await screenshot(page, 'integrations-remote');
    expect(app.errors.filter((e) => !e.includes('Invalid request'))).toEqual([]);
  });

  it.skipIf(!withBroker)('when Rackdeck dies, the broker says so for it: the last will turns its availability offline', async () => {
    const ha = mqtt.connect(broker!.url, { clientId: 'e2e-home-assistant' });
    const status: string[] = [];
    ha.on('message', (topic, payload) => {
      if (topic === 'rackdeck/status') status.push(payload.toString());
    });
    await ha.subscribeAsync('rackdeck/status');
    await waitUntil(() => status.includes('online'), 'the retained online');
    process.kill(-served.pid, 'SIGKILL');
    await waitUntil(() => status.at(-1) === 'offline', 'the last will');
    await ha.endAsync();
  });
});
