import type { Page, WebSocketRoute } from 'playwright-core';
import type { Notice, ServersPatch, ServersSnapshot } from '../../../src/shared/events';
import type { ServerView } from '../../../src/shared/server';
import { ChangesEncoder } from '../../../src/shared/server-changes';

/**
 * Stands in for the engine on the page's WebSocket (Playwright's routeWebSocket), so a test can
 * push patches at whatever rate it wants without waiting on real probes. It answers the
 * snapshot request and refuses everything else. A patch goes out as the engine sends it to a
 * renderer: `servers.changes`, through the engine's own encoder (src/main/inventory/patch-emitter.ts).
 */
export interface FakeEngine {
  connected: Promise<void>;
  /** When the snapshot was sent (Date.now()), for first-render figures. */
  snapshotSentAt(): number | undefined;
  patch(patch: Omit<ServersPatch, 'seq'>): number;
  notice(notice: Notice): void;
}

/** A request frame from the page, as a stand-in engine reads it. */
export interface StandInFrame {
  id?: number;
  channel?: string;
}

/** A stand-in engine's answer to a request: the snapshot it was given, every other channel refused. */
export function standInReply(frame: StandInFrame, snapshot: ServersSnapshot, who: string): string {
  if (frame.channel === 'servers.snapshot') return JSON.stringify({ id: frame.id, result: { ok: true, value: snapshot } });
  return JSON.stringify({ id: frame.id, result: { ok: false, error: { code: 'failed', message: `not served by the ${who}` } } });
}

export async function routeFakeEngine(page: Page, servers: ServerView[]): Promise<FakeEngine> {
  let route: WebSocketRoute | undefined;
  let seq = 0;
  let sentAt: number | undefined;
  let ready!: () => void;
  // Primed with the snapshot's servers, as the engine primes its encoder with every snapshot it serves.
  const encoder = new ChangesEncoder();
  encoder.encode({ seq: 0, upsert: servers, remove: [] });
  const connected = new Promise<void>((resolve) => (ready = resolve));
  await page.routeWebSocket(/\/api\/ws/, (ws) => {
    route = ws;
    ws.onMessage((message) => {
      const frame = JSON.parse(String(message)) as StandInFrame;
      ws.send(standInReply(frame, { seq, servers }, 'fake engine'));
      if (frame.channel === 'servers.snapshot') {
        sentAt = Date.now();
        ready();
      }
    });
  });
  return {
    connected,
    snapshotSentAt: () => sentAt,
    patch(patch) {
      if (!route) throw new Error('the page has not connected yet');
      seq += 1;
      route.send(JSON.stringify({ event: 'servers.changes', payload: encoder.encode({ seq, ...patch }) }));
      return seq;
    },
    notice(notice) {
      if (!route) throw new Error('the page has not connected yet');
      route.send(JSON.stringify({ event: 'notice', payload: notice }));
    },
  };
}

/** A made-up server for rendering tests: nothing is ever probed. */
export function fakeServer(i: number, now: number, overrides: Partial<ServerView> = {}): ServerView {
  const id = `srv-${String(i).padStart(3, '0')}`;
  return {
    id,
    name: id,
    kind: i % 4 === 0 ? 'physical' : i % 4 === 1 ? 'vm' : i % 4 === 2 ? 'lxc' : 'proxmox-node',
    address: `127.20.${Math.floor(i / 250)}.${(i % 250) + 1}`,
    ports: [22, 443],
    power: i % 3 === 0 ? 'off' : 'on',
    since: now - i * 60_000,
    lastSeen: now - 5_000,
    openPorts: { '22': i % 3 !== 0, '443': i % 2 === 0 },
    ...overrides,
  };
}
