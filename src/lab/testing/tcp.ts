import { connect } from 'node:net';
import { assertLoopback } from '../addressing';

/** What a port probe sees: the lab's observable difference between an on and an off host. */
export type TcpOutcome = 'open' | 'refused' | 'reset' | 'timeout';

export function tcpProbe(address: string, port: number, timeoutMs = 1000): Promise<TcpOutcome> {
  assertLoopback(address);
  return new Promise((resolve) => {
    const socket = connect({ host: address, port });
    const done = (outcome: TcpOutcome): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => done('timeout'), timeoutMs);
    socket.once('connect', () => done('open'));
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code === 'ECONNREFUSED' ? 'refused' : 'reset'));
  });
}

/** Connects and reports whether the peer closed on us before `waitMs` (the drop fault). */
export function tcpHeldOpen(address: string, port: number, waitMs = 150): Promise<boolean> {
  assertLoopback(address);
  return new Promise((resolve) => {
    const socket = connect({ host: address, port });
    let settled = false;
    const finish = (open: boolean): void => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(open);
    };
    socket.once('connect', () => setTimeout(() => finish(true), waitMs));
    socket.once('close', () => finish(false));
    socket.once('error', () => finish(false));
  });
}
