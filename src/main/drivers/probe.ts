import net from 'node:net';

/** `ms` is the round trip when the host answered at all (a connect, or a refusal: a RST is an answer too). */
export type ProbeResult = { open: true; ms: number } | { open: false; reason: 'refused' | 'timeout' | 'unreachable' | 'error'; message: string; ms?: number };

/** What a probe that timed out says (the status prober words a quick probe's silence its own way). */
export const noAnswerWithin = (timeoutMs: number) => `no answer within ${timeoutMs} ms`;

/**
 * One TCP connect with a deadline. A connect that succeeds means something listens there; the
 * socket is closed at once and nothing is sent.
 */
export function tcpProbe(host: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let done = false;
    const finish = (result: ProbeResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish({ open: false, reason: 'timeout', message: noAnswerWithin(timeoutMs) }), timeoutMs);
    socket.once('connect', () => finish({ open: true, ms: performance.now() - started }));
    socket.once('error', (error: NodeJS.ErrnoException) => {
      const reason = error.code === 'ECONNREFUSED' ? 'refused' : error.code === 'EHOSTUNREACH' || error.code === 'ENETUNREACH' ? 'unreachable' : 'error';
      finish({ open: false, reason, message: reason === 'refused' ? 'connection refused' : error.message, ...(reason === 'refused' ? { ms: performance.now() - started } : {}) });
    });
  });
}

export interface HostProbe {
  openPorts: Record<string, boolean>;
  error?: string;
  /** The quickest answer of any port (connect or refusal), ms: the round trip the status prober learns from. */
  rttMs?: number;
}

/** Probes every port of a host at once; the host's verdict takes as long as its slowest port. */
export async function probeHost(address: string, ports: readonly number[], timeoutMs: number): Promise<HostProbe> {
  // A guest without a known address has none (''): connecting to '' would reach this machine itself.
  if (address.trim() === '') return { openPorts: Object.fromEntries(ports.map((p) => [String(p), false])), error: 'no address known' };
  const results = await Promise.all(ports.map((p) => tcpProbe(address, p, timeoutMs)));
  const openPorts: Record<string, boolean> = {};
  let error: string | undefined;
  let rttMs: number | undefined;
  results.forEach((r, i) => {
    openPorts[String(ports[i])] = r.open;
    if (!r.open) error ??= r.message;
    if (r.ms !== undefined) rttMs = Math.min(rttMs ?? Infinity, r.ms);
  });
  return { openPorts, ...(error === undefined ? {} : { error }), ...(rttMs === undefined ? {} : { rttMs }) };
}

export type Prober = (address: string, ports: readonly number[], timeoutMs: number) => Promise<HostProbe>;
