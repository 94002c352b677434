import type { IntegrationTestResult, MqttSettings } from '../../shared/contract/integrations';
import type { ConnectMqtt, RemoteStore } from './ports';
import { loadEncoder } from './remote-write/load-encoder';

/**
 * The "test connection" buttons: one try with the saved settings, answered in words. They use
 * the same ports as the running integrations, with a client id of their own so the test never
 * kicks the running bridge off the broker.
 */
const TEST_TIMEOUT_MS = 10_000;

export function testMqtt(connect: ConnectMqtt, s: MqttSettings, password: string | undefined): Promise<IntegrationTestResult> {
  const url = s.url ?? '';
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: IntegrationTestResult) => {
      if (settled) return;
      settled = true;
      void link.end().finally(() => resolve(result));
    };
    const link = connect(
      {
        url,
        clientId: `${s.clientId ?? 'rackdeck'}-test`.slice(0, 64),
        username: s.username,
        password,
        verify: s.tls.verify,
        caFile: s.tls.caFile,
        will: { topic: `${s.baseTopic}/test`, payload: '' },
        connectTimeoutMs: TEST_TIMEOUT_MS,
        reconnect: false,
      },
      {
        connected: () => finish({ ok: true, detail: `Connected to ${url}${s.username ? ` as ${s.username}` : ''}.` }),
        disconnected: (reason) => finish({ ok: false, detail: `Could not connect to ${url}: ${reason}` }),
        message: () => undefined,
      },
    );
  });
}

export async function testRemote(store: RemoteStore, now: number): Promise<IntegrationTestResult> {
  const said: string[] = [];
  try {
    // An empty write request: accepted by every receiver, and it stores nothing.
    const w = await store.write((await loadEncoder()).encodeWriteRequest([]));
    if (w.status < 200 || w.status >= 300) return { ok: false, detail: `The write URL answered ${w.status}: ${w.message}` };
    said.push(`write accepted (${w.status})`);
  } catch (error) {
    return { ok: false, detail: `Could not write: ${error instanceof Error ? error.message : String(error)}` };
  }
  try {
    await store.query('vector(1)', now / 1000);
    said.push('PromQL answers');
  } catch (error) {
    return { ok: false, detail: `Writing works, but the query URL does not answer PromQL: ${error instanceof Error ? error.message : String(error)}` };
  }
  return { ok: true, detail: `${said.join('; ')}.` };
}
