import type { RfbChannel } from '@novnc/novnc';

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 3;

export interface RelayChannel extends RfbChannel {
  /** The session is open: noVNC may start the handshake. */
  opened(): void;
  /** Bytes from main. */
  receive(bytes: Uint8Array): void;
  ended(reason: string, error: boolean): void;
}

/**
 * The WebSocket-shaped object noVNC's RFB talks to instead of a real socket: what it sends
 * goes to main as console input, what main relays comes back as messages. So the VNC server's
 * address and ticket never reach this window; main holds them and the pinned certificate.
 */
export function relayChannel(send: (bytes: Uint8Array) => void, close: () => void): RelayChannel {
  const channel: RelayChannel = {
    binaryType: 'arraybuffer',
    protocol: 'binary',
    readyState: CONNECTING,
    onopen: null,
    onmessage: null,
    onerror: null,
    onclose: null,
    send(data) {
      if (channel.readyState !== OPEN) return;
      send(data instanceof Uint8Array ? data.slice() : new Uint8Array(data.slice(0)));
    },
    close() {
      if (channel.readyState === CLOSED) return;
      channel.readyState = CLOSED;
      close();
      channel.onclose?.({ code: 1000, reason: '', wasClean: true });
    },
    opened() {
      channel.readyState = OPEN;
      channel.onopen?.();
    },
    receive(bytes) {
      if (channel.readyState !== OPEN) return;
      // noVNC copies out of the buffer at once, so a view over ours is enough.
      const buf = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? (bytes.buffer as ArrayBuffer) : (bytes.slice().buffer as ArrayBuffer);
      channel.onmessage?.({ data: buf });
    },
    ended(reason, error) {
      if (channel.readyState === CLOSED) return;
      channel.readyState = CLOSED;
      channel.onclose?.({ code: error ? 1006 : 1000, reason, wasClean: !error });
    },
  };
  return channel;
}
