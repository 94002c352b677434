import dgram from 'node:dgram';
import type { WolTarget } from './targets';

export interface WolSendResult {
  target: WolTarget;
  ok: boolean;
  error?: string;
}

export interface WolSendOptions {
  packet: Buffer;
  targets: readonly WolTarget[];
  /** Local address to bind (selects the outgoing interface). */
  bindAddress?: string;
}

export type WolSender = (options: WolSendOptions) => Promise<WolSendResult[]>;

/**
 * Sends one packet to every target over one UDP socket. A target that fails (no route, no
 * such interface) is reported without stopping the others: the packet only has to reach the
 * NIC once.
 */
export const sendWol: WolSender = async ({ packet, targets, bindAddress }) => {
  const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind({ address: bindAddress, port: 0 }, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    socket.setBroadcast(true);
    const results: WolSendResult[] = [];
    for (const target of targets) {
      results.push(
        await new Promise<WolSendResult>((resolve) => {
          try {
            socket.send(packet, target.port, target.address, (error) => resolve(error ? { target, ok: false, error: error.message } : { target, ok: true }));
          } catch (error) {
            resolve({ target, ok: false, error: error instanceof Error ? error.message : String(error) });
          }
        }),
      );
    }
    return results;
  } finally {
    socket.close();
  }
};

export function describeSendFailure(results: readonly WolSendResult[]): string | undefined {
  if (results.length === 0) return 'there was nowhere to send the magic packet: enable a broadcast or add a target';
  if (results.some((r) => r.ok)) return undefined;
  return `the magic packet could not be sent: ${results.map((r) => `${r.target.address}:${r.target.port} ${r.error ?? ''}`.trim()).join('; ')}`;
}
