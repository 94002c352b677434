import net from 'node:net';
import { handleConnector, type HandleConnect } from './tcp-handle';

/** `ms` is the round trip when the host answered at all (a connect, or a refusal: a RST is an answer too). */
export type ProbeResult = { open: true; ms: number } | { open: false; reason: 'refused' | 'timeout' | 'unreachable' | 'error'; message: string; ms?: number };

/** What a probe that timed out says. */
export const noAnswerWithin = (timeoutMs: number) => `no answer within ${timeoutMs} ms`;

const refusedOrOther = (code: string | undefined): 'refused' | 'unreachable' | 'error' =>
  code === 'ECONNREFUSED' ? 'refused' : code === 'EHOSTUNREACH' || code === 'ENETUNREACH' ? 'unreachable' : 'error';

/**
 * One TCP connect with a deadline. A connect that succeeds means something listens there; the
 * socket is closed at once and nothing is sent. To an IP address it goes through the bare handle
 * (drivers/tcp-handle.ts: no stream is built for a connect that only asks a question); a host
 * name, or a runtime without the handle, goes through `net`, which resolves names.
 */
export function tcpProbe(host: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  const family = familyOf(host);
  const bare = family === 0 ? undefined : handleConnector();
  return bare ? bareProbe(bare, family === 6 ? 6 : 4, host, port, timeoutMs) : socketProbe(host, port, timeoutMs);
}

/** net.isIP per address, remembered: the same few thousand addresses are probed again every few seconds. */
const families = new Map<string, number>();
function familyOf(host: string): number {
  let family = families.get(host);
  if (family === undefined) {
    family = net.isIP(host);
    if (families.size >= 10_000) families.clear();
    families.set(host, family);
  }
  return family;
}

function bareProbe(connect: HandleConnect, family: 4 | 6, host: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      cancel();
      resolve({ open: false, reason: 'timeout', message: noAnswerWithin(timeoutMs) });
    }, timeoutMs);
    const cancel = connect(family, host, port, (outcome) => {
      clearTimeout(timer);
      const ms = performance.now() - started;
      if (outcome.connected) return resolve({ open: true, ms });
      const reason = refusedOrOther(outcome.code);
      resolve({ open: false, reason, message: reason === 'refused' ? 'connection refused' : `connect ${outcome.code} ${host}:${port}`, ...(reason === 'refused' ? { ms } : {}) });
    });
  });
}

/** The same probe through `net.Socket` (host names; runtimes without the bare handle). */
export function socketProbe(host: string, port: number, timeoutMs: number): Promise<ProbeResult> {
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
      const reason = refusedOrOther(error.code);
      finish({ open: false, reason, message: reason === 'refused' ? 'connection refused' : error.message, ...(reason === 'refused' ? { ms: performance.now() - started } : {}) });
    });
  });
}

export interface HostProbe {
  openPorts: Record<string, boolean>;
  error?: string;
  /** The quickest answer of any port (connect or refusal), ms: the round trip the status prober learns from. */
  rttMs?: number;
  /** No port answered at all, not even with a refusal: each waited out the timeout it was given. */
  timedOut?: true;
}

/** Probes every port of a host at once; the host's verdict takes as long as its slowest port. */
export async function probeHost(address: string, ports: readonly number[], timeoutMs: number): Promise<HostProbe> {
  // A guest without a known address has none (''): connecting to '' would reach this machine itself.
  if (address.trim() === '') return { openPorts: Object.fromEntries(ports.map((p) => [String(p), false])), error: 'no address known' };
  // A status probe knocks on one port: no list of promises to wait on for it.
  const results = ports.length === 1 ? [await tcpProbe(address, ports[0] as number, timeoutMs)] : await Promise.all(ports.map((p) => tcpProbe(address, p, timeoutMs)));
  const obs: HostProbe = { openPorts: {} };
  let timedOut = results.length > 0;
  for (let i = 0; i < results.length; i++) {
    const r = results[i] as ProbeResult;
    obs.openPorts[String(ports[i])] = r.open;
    if (!r.open) obs.error ??= r.message;
    if (r.ms !== undefined) obs.rttMs = Math.min(obs.rttMs ?? Infinity, r.ms);
    if (r.open || r.reason !== 'timeout') timedOut = false;
  }
  if (timedOut) obs.timedOut = true;
  return obs;
}

export type Prober = (address: string, ports: readonly number[], timeoutMs: number) => Promise<HostProbe>;
