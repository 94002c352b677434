import type { CheckOf } from '../../../shared/contract/checks';
import type { Outcome } from './state';

const DAY = 86_400_000;

/** What one HTTP(S) request saw (the io adapter fills it in). */
export interface HttpResult {
  /** The final answer's status (after redirects, when followed). */
  status: number;
  /** The first 1 MiB of the final body, as text. */
  body: string;
  durationMs: number;
  /** Where the redirects led, in order. */
  redirects: string[];
  /** The certificate of the first HTTPS answer. */
  cert?: { validTo: number; subject: string; issuer: string; authorized: boolean; authorizationError?: string };
}

export function judgeHttp(check: CheckOf<'http'>, r: HttpResult, now: number): Outcome {
  const details: Record<string, string | number> = { status: r.status, ms: Math.round(r.durationMs) };
  const problems: string[] = [];
  let result: Outcome['result'] = 'ok';
  const worse = (to: 'warning' | 'fail', why: string) => {
    problems.push(why);
    if (to === 'fail' || result === 'ok') result = to;
  };
  if (r.status < check.statusMin || r.status > check.statusMax) worse('fail', `status ${r.status}, expected ${check.statusMin}–${check.statusMax}`);
  if (check.keyword !== undefined && check.method === 'GET') {
    const found = r.body.includes(check.keyword);
    if (check.keywordAbsent && found) worse('fail', `"${check.keyword}" is on the page`);
    if (!check.keywordAbsent && !found) worse('fail', `"${check.keyword}" is not on the page`);
  }
  if (r.cert) {
    const daysLeft = (r.cert.validTo - now) / DAY;
    details.certDays = Math.floor(daysLeft * 10) / 10;
    const when = daysLeft <= 0 ? 'expired' : `expires in ${daysLeft < 1 ? 'under a day' : `${Math.floor(daysLeft)} days`}`;
    if (daysLeft <= check.certFailDays) worse('fail', `certificate ${when}`);
    else if (daysLeft <= check.certWarnDays) worse('warning', `certificate ${when}`);
  }
  if (check.maxResponseMs !== undefined && r.durationMs > check.maxResponseMs) worse('warning', `answered in ${Math.round(r.durationMs)} ms (limit ${check.maxResponseMs} ms)`);
  const via = r.redirects.length ? ` via ${r.redirects.length} redirect${r.redirects.length === 1 ? '' : 's'}` : '';
  const message = problems.length ? problems.join('; ') : `${r.status} in ${Math.round(r.durationMs)} ms${via}${r.cert ? `, certificate good for ${Math.floor((r.cert.validTo - now) / DAY)} days` : ''}`;
  return { result, message, details };
}

/** What one DNS query found: the addresses, or why there are none (NXDOMAIN, timeout…). */
export type DnsResult = { addresses: string[] } | { error: string; code?: string };

export function judgeDns(check: CheckOf<'dns'>, r: DnsResult, resolver: string): Outcome {
  if ('error' in r) {
    const nx = r.code === 'ENOTFOUND' || r.code === 'NXDOMAIN' || r.code === 'ENODATA';
    return { result: 'fail', message: nx ? `${check.name} has no ${check.recordType} record on ${resolver}` : `${resolver} did not answer for ${check.name}: ${r.error}` };
  }
  const details = { answers: r.addresses.join(', ') };
  if (r.addresses.length === 0) return { result: 'fail', message: `${check.name} has no ${check.recordType} record on ${resolver}`, details };
  if (check.expected.length && !r.addresses.some((a) => check.expected.includes(a))) {
    return { result: 'fail', message: `${check.name} resolves to ${r.addresses.join(', ')}, expected ${check.expected.join(' or ')}`, details };
  }
  return { result: 'ok', message: `${check.name} → ${r.addresses.join(', ')} (${resolver})`, details };
}

/**
 * An ICMP echo as the io adapter reports it: answered (with its round trip), unanswered, or
 * impossible here (no unprivileged ICMP, no ping binary), which sends the check to TCP.
 */
export type PingResult = { kind: 'reply'; rttMs: number } | { kind: 'timeout' } | { kind: 'unavailable'; reason: string };

/**
 * Whether this process may send ICMP echo without privileges on Linux: its gid within
 * `net.ipv4.ping_group_range` ("1 0", the kernel's default, allows nobody). Root may always.
 */
export function unprivilegedIcmpAllowed(pingGroupRange: string | undefined, gid: number, uid: number): boolean {
  if (uid === 0) return true;
  const m = /^\s*(\d+)\s+(\d+)\s*$/.exec(pingGroupRange ?? '');
  if (!m) return false;
  const lo = Number(m[1]);
  const hi = Number(m[2]);
  return lo <= gid && gid <= hi;
}
