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

/** Sends a magic packet to its targets; the UDP sender in production, a fake in tests. */
export type WolSender = (options: WolSendOptions) => Promise<WolSendResult[]>;

export function describeSendFailure(results: readonly WolSendResult[]): string | undefined {
  if (results.length === 0) return 'there was nowhere to send the magic packet: enable a broadcast or add a target';
  if (results.some((r) => r.ok)) return undefined;
  return `the magic packet could not be sent: ${results.map((r) => `${r.target.address}:${r.target.port} ${r.error ?? ''}`.trim()).join('; ')}`;
}
