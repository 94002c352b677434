import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../src/lab/lab';
import type { SimHost } from '../../src/lab/hosts/host';
import { silentLogger } from '../../src/main/base/logger';
import { createApp, type RackdeckApp } from '../../src/main/root/app';
import type { IntegrationsStatus } from '../../src/shared/contract/integrations';
import type { ServerView } from '../../src/shared/server';
import { BIN, haveAll, startMosquitto, waitUntil, type Running } from './servers';

/**
 * Home Assistant over MQTT against a real broker (Debian's mosquitto) and a real MQTT client in
 * the test's hands, playing Home Assistant: it reads the discovery configs, switches a sleeping
 * lab host on (the magic packet goes to the lab's loopback listener) and sees the state change
 * published. 127.0.120.x belongs to this file.
 */
const ok = haveAll('Home Assistant (MQTT) tests', BIN.mosquitto);

describe.skipIf(!ok)('Home Assistant over MQTT', () => {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-mqtt-'));
  let lab: Lab;
  let broker: Running;
  let app: RackdeckApp;
  let ha: MqttClient;
  let host: SimHost;
  let server: ServerView;
  /** What Home Assistant last got on each topic (retained or live). */
  const last = new Map<string, string>();
  const seen: Array<[string, string]> = [];

  const call = async <T>(channel: string, input: unknown): Promise<T> => {
    const r = await app.router.handle(channel, input, { face: 'test' });
    if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
    return r.value as T;
  };

  beforeAll(async () => {
    lab = await startLab({ proxmox: false, hosts: 2, seed: 120, firstAddress: '127.0.120.1', wolPort: 0, stateDir, bootDelayMs: 300, suspendDelayMs: 100, initialPower: 'on' });
    host = lab.hosts.find((h) => h.spec.os !== 'windows')!;
    const nic = host.spec.nics[0];
    if (nic) host.machine.setWakeOn(nic.name, 'g');
    broker = await startMosquitto(path.join(stateDir, 'broker'));
    app = createApp({ home: path.join(stateDir, 'home'), face: 'cli', log: silentLogger, power: { fastPollMs: 100 } });
    server = await call<ServerView>('servers.add', {
      name: host.hostname,
      address: host.address,
      mac: host.mac,
      ports: [host.spec.ports.ssh],
      ssh: { user: host.spec.user, port: host.spec.ports.ssh, keyPath: lab.clientKey.privateKeyPath },
      // Never a real broadcast: only the lab's listener on loopback.
      wol: { directedBroadcast: false, limitedBroadcast: false, extraTargets: ['127.0.0.1'], ports: [lab.wol.port] },
      powerControl: { timeouts: { wakeMs: 20_000, suspendMs: 20_000 } },
    });
    await call('integrations.setSettings', { mqtt: { enabled: true, url: broker.url, offAction: 'suspend' } });
    ha = mqtt.connect(broker.url, { clientId: 'home-assistant-in-the-test' });
    ha.on('message', (topic, payload) => {
      last.set(topic, payload.toString());
      seen.push([topic, payload.toString()]);
    });
    await new Promise<void>((resolve) => ha.once('connect', () => resolve()));
    await ha.subscribeAsync(['homeassistant/#', 'rackdeck/#']);
    app.engine.start();
  });

  afterAll(async () => {
    await ha?.endAsync();
    await app?.stop();
    await broker?.stop();
    await lab?.stop();
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  const config = (component: string, key: string) => {
    const raw = last.get(`homeassistant/${component}/rackdeck/${server.id}_${key}/config`);
    return raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
  };

  it('publishes the server as a Home Assistant device through discovery, with Rackdeck\'s availability', async () => {
    await waitUntil(() => config('select', 'desired'), 'the discovery configs');
    expect(last.get('rackdeck/status')).toBe('online');
    const sw = config('switch', 'power')!;
    expect(sw).toMatchObject({
      name: 'Power',
      unique_id: `rackdeck_rackdeck_${server.id}_power`,
      command_topic: `rackdeck/${server.id}/power/set`,
      state_topic: `rackdeck/${server.id}/power`,
      payload_on: 'ON',
      payload_off: 'OFF',
      availability: [{ topic: 'rackdeck/status', payload_available: 'online', payload_not_available: 'offline' }],
      device: { identifiers: [`rackdeck_rackdeck_${server.id}`], name: host.hostname, manufacturer: 'Rackdeck', model: 'Server' },
    });
    expect(config('binary_sensor', 'running')).toMatchObject({ state_topic: `rackdeck/${server.id}/running`, device_class: 'running' });
    for (const key of ['cpu', 'memory', 'disk']) expect(config('sensor', key)).toMatchObject({ unit_of_measurement: '%', state_class: 'measurement' });
    expect(config('sensor', 'state')).toMatchObject({ device_class: 'enum' });
    expect(config('select', 'desired')).toMatchObject({ options: ['none', 'on', 'suspended', 'off'], command_topic: `rackdeck/${server.id}/desired/set` });
    await waitUntil(() => last.get(`rackdeck/${server.id}/state`) === 'on', 'the power state published');
    expect(last.get(`rackdeck/${server.id}/power`)).toBe('ON');
    const status = await call<IntegrationsStatus>('integrations.status', {});
    expect(status.mqtt).toMatchObject({ enabled: true, state: 'connected', devices: 1 });
  });

  it('publishes the figures as sensors when a sample is recorded', async () => {
    app.monitoring.recordAgentSample(server.id, { t: app.engine.clock.now(), cpu: 12.34, memUsed: 1024, memTotal: 4096, diskUsed: 50, diskTotal: 200 });
    await waitUntil(() => last.get(`rackdeck/${server.id}/cpu`) === '12.3', 'the CPU sensor');
    expect(last.get(`rackdeck/${server.id}/memory`)).toBe('25');
    expect(last.get(`rackdeck/${server.id}/disk`)).toBe('25');
  });

  it('a command from Home Assistant wakes the sleeping lab host, and the state change is published', async () => {
    await host.suspend();
    expect((await app.engine.refresh(server.id)).power).toBe('off');
    await waitUntil(() => last.get(`rackdeck/${server.id}/power`) === 'OFF', 'the switch shown off');
    const woke = lab.wol.counters.woke;
    const from = seen.length;
    ha.publish(`rackdeck/${server.id}/power/set`, 'ON');
    await waitUntil(() => host.power() === 'on' && last.get(`rackdeck/${server.id}/state`) === 'on', 'the host up and its state published', 30_000);
    expect(lab.wol.counters.woke).toBe(woke + 1);
    const states = seen.slice(from).filter(([t]) => t === `rackdeck/${server.id}/state`).map(([, p]) => p);
    expect(states).toEqual(['waking', 'on']);
    expect(last.get(`rackdeck/${server.id}/power`)).toBe('ON');
    const status = await call<IntegrationsStatus>('integrations.status', {});
    expect(status.mqtt.lastCommand).toMatchObject({ serverId: server.id, command: 'power ON', ok: true, detail: 'wake started' });
  });

  it('the select sets the desired state; a bad payload is refused and changes nothing', async () => {
    ha.publish(`rackdeck/${server.id}/desired/set`, 'on');
    await waitUntil(() => last.get(`rackdeck/${server.id}/desired`) === 'on', 'the desired state published');
    expect(app.engine.view(server.id)?.desired).toBe('on');
    ha.publish(`rackdeck/${server.id}/desired/set`, 'explode');
    await waitUntil(async () => (await call<IntegrationsStatus>('integrations.status', {})).mqtt.lastCommand?.ok === false, 'the refusal');
    expect(app.engine.view(server.id)?.desired).toBe('on');
    ha.publish(`rackdeck/${server.id}/desired/set`, 'none');
    await waitUntil(() => last.get(`rackdeck/${server.id}/desired`) === 'none', 'the desired state cleared');
    expect(app.engine.view(server.id)?.desired).toBeUndefined();
  });

  it('removing the server empties its retained configs, so Home Assistant drops the device', async () => {
    await call('servers.remove', { id: server.id });
    await waitUntil(() => last.get(`homeassistant/switch/rackdeck/${server.id}_power/config`) === '', 'the emptied config');
    // A client arriving now gets no retained config of that server.
    const late = mqtt.connect(broker.url, { clientId: 'late-home-assistant' });
    const retained: string[] = [];
    late.on('message', (topic, payload) => {
      if (payload.length > 0 && topic.includes(server.id)) retained.push(topic);
    });
    await new Promise<void>((resolve) => late.once('connect', () => resolve()));
    await late.subscribeAsync(['homeassistant/#', 'rackdeck/#']);
    // The broker sends retained messages right after SUBACK: a round trip later they are all in.
    await late.publishAsync('rackdeck-test/ping', 'x', { qos: 1 });
    await late.endAsync();
    expect(retained).toEqual([]);
  });

  it('availability follows Rackdeck: offline once it stops', async () => {
    await app.stop();
    await waitUntil(() => last.get('rackdeck/status') === 'offline', 'offline on the status topic');
  });
});
