/**
 * Well-known ports (pure): their names, and whether they serve a web UI over http or https.
 * Ports not listed are sniffed once open (banner, TLS handshake, an HTTP answer).
 */
export const COMMON_PORTS = [22, 80, 443, 3389, 5900, 8006, 9090, 8080, 8443] as const;

const NAMES: Record<number, string> = {
  21: 'ftp',
  22: 'ssh',
  25: 'smtp',
  53: 'dns',
  80: 'http',
  443: 'https',
  445: 'smb',
  2049: 'nfs',
  3000: 'grafana',
  3306: 'mysql',
  3389: 'rdp',
  5000: 'dsm',
  5001: 'dsm',
  5432: 'postgres',
  5900: 'vnc',
  6379: 'redis',
  8006: 'proxmox',
  8007: 'pbs',
  8080: 'http-alt',
  8123: 'home-assistant',
  8443: 'https-alt',
  9090: 'cockpit',
  9100: 'node-exporter',
  32400: 'plex',
};

export type WebScheme = 'http' | 'https';

const SCHEMES: Record<number, WebScheme> = {
  80: 'http',
  443: 'https',
  3000: 'http',
  5000: 'http',
  5001: 'https',
  8006: 'https',
  8007: 'https',
  8080: 'http',
  8123: 'http',
  8443: 'https',
  9090: 'https',
  9100: 'http',
  32400: 'http',
};

/** Protocols known not to be web UIs: never sniffed. */
const NOT_WEB = new Set([21, 22, 25, 53, 445, 2049, 3306, 3389, 5432, 5900, 6379]);

export function portName(port: number): string {
  return NAMES[port] ?? String(port);
}

export function knownScheme(port: number): WebScheme | undefined {
  return SCHEMES[port];
}

export function worthSniffing(port: number): boolean {
  return SCHEMES[port] === undefined && !NOT_WEB.has(port);
}

/** The ports to check on a server: its own first, then the common ones it does not list. */
export function portsToCheck(configured: readonly number[], common: boolean): number[] {
  const out = [...new Set(configured)];
  if (common) for (const p of COMMON_PORTS) if (!out.includes(p)) out.push(p);
  return out;
}

export function webUrl(scheme: WebScheme, address: string, port: number): string {
  const host = address.includes(':') && !address.startsWith('[') ? `[${address}]` : address;
  const standard = (scheme === 'http' && port === 80) || (scheme === 'https' && port === 443);
  return `${scheme}://${host}${standard ? '' : `:${port}`}/`;
}
