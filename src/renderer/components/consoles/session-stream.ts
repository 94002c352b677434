import type { RackdeckClient } from '../../../shared/contract';
import type { ConsoleClosed, ConsoleData, ConsoleInfo } from '../../../shared/contract/consoles';
import { fromBase64, toBase64 } from './base64';
import { consoleOwner, holdOwner } from './owner';

export type StreamState =
  | { phase: 'opening' }
  | { phase: 'open'; info: ConsoleInfo }
  | { phase: 'closed'; info: ConsoleInfo; closed: ConsoleClosed }
  | { phase: 'failed'; message: string };

export interface StreamHandlers {
  /** Output; call `consumed()` once it is on screen so main may send more. */
  onData(bytes: Uint8Array, stream: 'stdout' | 'stderr', consumed: () => void): void;
  onState(state: StreamState): void;
  /** Output was lost (the link to main dropped for a moment). */
  onGap?(): void;
}

export interface ConsoleStream {
  write(data: string | Uint8Array): void;
  resize(cols: number, rows: number): void;
  /** Closes the session (the view went away); safe to call in any phase, more than once. */
  close(): void;
}

const ACK_DELAY_MS = 40;
const WRITE_CHUNK = 64 * 1024;

/**
 * One console session seen from the window: opens it, hands its output over in order, sends
 * acknowledgements as output is consumed, coalesces typing into few requests, and closes it
 * when told. Events that arrive before the open call answers are kept and replayed.
 */
export function openConsoleStream(client: RackdeckClient, open: (owner: string) => Promise<ConsoleInfo>, handlers: StreamHandlers): ConsoleStream {
  const release = holdOwner(client);
  let info: ConsoleInfo | undefined;
  let done = false;
  let lastSeq = 0;
  let pendingAck = 0;
  let ackTimer: ReturnType<typeof setTimeout> | undefined;
  let early: ConsoleData[] = [];
  let earlyEnds: ConsoleClosed[] = [];
  let typed: string[] = [];
  let typedScheduled = false;

  const flushAck = (all = false) => {
    if (ackTimer) clearTimeout(ackTimer);
    ackTimer = undefined;
    if (!info || (pendingAck === 0 && !all) || done) return;
    const bytes = pendingAck;
    pendingAck = 0;
    void client.consoles.ack({ sessionId: info.sessionId, bytes, ...(all ? { all } : {}) }).catch(() => undefined);
  };
  /**
   * Output lost on the way (the link to main dropped) would never be acknowledged, and main
   * would keep the source paused for good: tell main to count it as consumed.
   */
  const lost = () => {
    handlers.onGap?.();
    flushAck(true);
  };

  const deliver = (d: ConsoleData) => {
    const gap = d.seq !== lastSeq + 1;
    lastSeq = d.seq;
    let acked = false;
    handlers.onData(fromBase64(d.data), d.stream ?? 'stdout', () => {
      if (acked) return;
      acked = true;
      pendingAck += d.bytes;
      if (info && pendingAck >= info.flow.ackEvery) flushAck();
      else ackTimer ??= setTimeout(flushAck, ACK_DELAY_MS);
    });
    if (gap) lost();
  };

  const finish = (closed: ConsoleClosed) => {
    if (done || !info) return;
    done = true;
    cleanup();
    handlers.onState({ phase: 'closed', info, closed });
  };

  const offData = client.on('console.data', (d) => {
    if (done) return;
    if (!info) early.push(d);
    else if (d.sessionId === info.sessionId) deliver(d);
  });
  const offClosed = client.on('console.closed', (c) => {
    if (!info) earlyEnds.push(c);
    else if (c.sessionId === info.sessionId) finish(c);
  });
  // Back after the link to main dropped: whatever was sent meanwhile is gone, and the session
  // itself may be (main closes a window's sessions with its connection, or after a minute).
  const offLink = client.on('connection', (c) => {
    if (c.state !== 'open' || !info || done) return;
    const { sessionId } = info;
    lost();
    client.consoles.list({ owner: consoleOwner() }).then(
      (open) => {
        if (!open.some((s) => s.sessionId === sessionId)) finish({ sessionId, reason: 'The connection to Rackdeck was lost', error: true });
      },
      () => undefined,
    );
  });

  function cleanup(): void {
    if (ackTimer) clearTimeout(ackTimer);
    offData();
    offClosed();
    offLink();
    early = [];
    earlyEnds = [];
    release();
  }

  handlers.onState({ phase: 'opening' });
  open(consoleOwner()).then(
    (opened) => {
      info = opened;
      if (done) {
        // The view went away while the session was opening.
        void client.consoles.close({ sessionId: opened.sessionId }).catch(() => undefined);
        return;
      }
      handlers.onState({ phase: 'open', info: opened });
      for (const d of early) if (d.sessionId === opened.sessionId) deliver(d);
      const end = earlyEnds.find((c) => c.sessionId === opened.sessionId);
      early = [];
      earlyEnds = [];
      if (end) finish(end);
    },
    (error: unknown) => {
      if (done) return;
      done = true;
      cleanup();
      handlers.onState({ phase: 'failed', message: error instanceof Error ? error.message : String(error) });
    },
  );

  const flushTyped = () => {
    typedScheduled = false;
    if (!info || done) {
      typed = [];
      return;
    }
    const text = typed.join('');
    typed = [];
    for (let i = 0; i < text.length; i += WRITE_CHUNK) {
      void client.consoles.write({ sessionId: info.sessionId, data: text.slice(i, i + WRITE_CHUNK) }).catch(() => undefined);
    }
  };

  return {
    write(data) {
      if (!info || done) return;
      if (typeof data === 'string') {
        // Keys typed in one burst (a paste, auto-repeat) go out as one request, in order.
        typed.push(data);
        if (!typedScheduled) {
          typedScheduled = true;
          queueMicrotask(flushTyped);
        }
        return;
      }
      for (let i = 0; i < data.length; i += WRITE_CHUNK) {
        void client.consoles.write({ sessionId: info.sessionId, data: toBase64(data.subarray(i, i + WRITE_CHUNK)), encoding: 'base64' }).catch(() => undefined);
      }
    },
    resize(cols, rows) {
      if (!info || done) return;
      void client.consoles.resize({ sessionId: info.sessionId, cols, rows }).catch(() => undefined);
    },
    close() {
      if (done) return;
      flushAck();
      done = true;
      if (info) void client.consoles.close({ sessionId: info.sessionId }).catch(() => undefined);
      cleanup();
    },
  };
}
