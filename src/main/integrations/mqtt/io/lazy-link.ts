import type { ConnectMqtt } from '../../ports';

/**
 * The MQTT link with mqtt.js loaded when a link is first opened, not when the engine starts: the
 * package and its dependencies are the largest part of the engine's bundle, which every `serve`
 * would compile and run before printing its URL (issue 16), and the bridge is off by default.
 * Calls made while it loads wait for it, in their order (one promise's reactions run in the order
 * they were added); a package that cannot be loaded is a link that went down, in words.
 */
export const connectMqttLazily: ConnectMqtt = (options, events) => {
  const link = import('./link').then(
    (m) => m.connectMqtt(options, events),
    (error: unknown) => {
      events.disconnected(`the MQTT client could not be loaded (${error instanceof Error ? error.message : String(error)})`);
      return undefined;
    },
  );
  return {
    publish: (topic, payload, retain) => void link.then((l) => l?.publish(topic, payload, retain)),
    subscribe: (topics) => void link.then((l) => l?.subscribe(topics)),
    end: () => link.then((l) => l?.end()),
  };
};
