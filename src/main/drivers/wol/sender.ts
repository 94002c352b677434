import type Dgram from 'node:dgram';
import type { WolSender, WolSendResult } from './model/send';
import { nodeModule } from '../../base/node-module';

const dgram = nodeModule<typeof Dgram>('node:dgram');

/**
 * Sends one packet to every target over one UDP socket. A target that fails (no route, no
 * such interface) is reported without stopping the others: the packet only has to reach the
 * NIC once.
 */
export const sendWol: WolSender = async ({ packet, targets, bindAddress }) => {
  const socket = dgram().createSocket({ type: 'udp4', reuseAddr: true });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind({ address: bindAddress, port: 0 }, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    // Send failures come back through each send's callback; an 'error' event besides must not end the process.
    socket.on('error', () => undefined);
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
