import type { PrometheusStatus } from '../../../shared/contract/integrations';

/**
 * Who may read /metrics: a scraper that presents the scrape token as a bearer, or one whose
 * address is on the allow-list. The web face's token is never accepted here: a Prometheus
 * config holding it could drive every server. Pure: the route hands in what it saw.
 */
export interface ScrapeRequest {
  /** The Authorization header, if any. */
  authorization: string | undefined;
  /** Whether the peer's address is on the allow-list (the adapter matches CIDR blocks). */
  addressAllowed: boolean;
}

export interface GateConfig {
  enabled: boolean;
  /** The scrape token, when one is stored. */
  token: string | undefined;
  allowListSize: number;
}

export type GateDecision = { ok: true } | { ok: false; status: 401 | 403 | 404; message: string };

/** Compares without stopping at the first difference, so the time taken says nothing of the token. */
export function sameSecret(expected: string, given: string): boolean {
  let diff = expected.length ^ given.length;
  // Past a string's end charCodeAt is NaN, and NaN | 0 is 0.
  for (let i = 0; i < Math.max(expected.length, given.length); i++) diff |= (expected.charCodeAt(i) | 0) ^ (given.charCodeAt(i) | 0);
  return diff === 0;
}

export function bearerOf(authorization: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return m?.[1];
}

export function decideScrape(config: GateConfig, req: ScrapeRequest): GateDecision {
  if (!config.enabled) return { ok: false, status: 404, message: 'The Prometheus exporter is off (Integrations → Prometheus).' };
  const presented = bearerOf(req.authorization);
  if (presented !== undefined && config.token !== undefined && sameSecret(config.token, presented)) return { ok: true };
  if (req.addressAllowed) return { ok: true };
  if (config.token === undefined && config.allowListSize === 0) return { ok: false, status: 403, message: 'No scrape token and no allowed address are set yet (Integrations → Prometheus).' };
  if (presented !== undefined) return { ok: false, status: 401, message: 'Wrong scrape token.' };
  return { ok: false, status: config.token === undefined ? 403 : 401, message: config.token === undefined ? 'This address is not on the allow-list.' : 'A scrape token is required (Authorization: Bearer …).' };
}

export function protectionOf(tokenSet: boolean, allowListSize: number): PrometheusStatus['protection'] {
  if (tokenSet && allowListSize > 0) return 'token or allow-list';
  if (tokenSet) return 'token';
  if (allowListSize > 0) return 'allow-list';
  return 'none';
}
