import fs from 'node:fs';
import type { MqttClient } from 'mqtt';
import type { ConnectMqtt } from '../../ports';

/**
 * The MQTT client (mqtt.js) behind the bridge's port: TLS for mqtts:// and wss:// (the broker's
 * certificate checked unless told otherwise, a CA file of the admin's), credentials, the last
 * will, retained QoS 1 publishes that wait in the client's queue while the link is down.
 */
export const connectMqtt: ConnectMqtt = (options, events) => {
  let ca: Buffer | undefined;
  try {
    ca = options.caFile ? fs.readFileSync(options.caFile) : undefined;
  } catch (error) {
    // Reported as a failed connection, in words, rather than thrown into the engine.
    const reason = `the CA file ${options.caFile} cannot be read (${error instanceof Error ? error.message : String(error)})`;
    queueMicrotask(() => events.disconnected(reason));
    return { publish: () => undefined, subscribe: () => undefined, end: async () => undefined };
  }
  // mqtt.js is loaded when a bridge first connects, not by every start of the engine (a CLI
  // command); calls made meanwhile wait for the client, in their order.
  const connecting: Promise<MqttClient | undefined> = import('mqtt').then(
    ({ default: mqtt }) => {
      const client = mqtt.connect(options.url, {
        clientId: options.clientId,
        ...(options.username !== undefined ? { username: options.username } : {}),
        ...(options.password !== undefined ? { password: options.password } : {}),
        rejectUnauthorized: options.verify,
        ...(ca ? { ca } : {}),
        will: { topic: options.will.topic, payload: Buffer.from(options.will.payload), qos: 1, retain: true },
        connectTimeout: options.connectTimeoutMs ?? 30_000,
        reconnectPeriod: options.reconnect ? 5_000 : 0,
        clean: true,
      });
      let lastError = 'the connection closed';
      client.on('connect', () => events.connected());
      client.on('error', (error) => {
        lastError = error.message;
        if (!options.reconnect) events.disconnected(lastError);
      });
      client.on('close', () => events.disconnected(lastError));
      client.on('message', (topic, payload, packet) => events.message(topic, payload.toString('utf8'), packet.retain));
      return client;
    },
    (error: unknown) => {
      events.disconnected(`the MQTT client could not be loaded (${error instanceof Error ? error.message : String(error)})`);
      return undefined;
    },
  );
  return {
    publish: (topic, payload, retain) => {
      void connecting.then((client) => client?.publish(topic, payload, { qos: 1, retain }));
    },
    subscribe: (topics) => {
      void connecting.then((client) => client?.subscribe([...topics], { qos: 1 }));
    },
    end: () => connecting.then((client) => new Promise<void>((resolve) => (client ? client.end(false, {}, () => resolve()) : resolve()))),
  };
};
