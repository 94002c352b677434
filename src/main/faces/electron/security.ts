import type { Session, WebContents } from 'electron';

/** The one permission the renderer may have: showing notifications. */
export function permissionAllowed(permission: string): boolean {
  return permission === 'notifications';
}

/** A host as the inventory spells it, for comparison with a URL's hostname. */
function normaliseHost(host: string): string {
  return host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
}

/**
 * Links the renderer may open in the admin's browser: http(s) to one of the servers in the
 * inventory (its web UI: Proxmox on :8006, a NAS page…), with no credentials in the URL.
 * Returns the URL to open, or null to refuse: no file:, javascript:, custom schemes, or
 * arbitrary sites.
 */
export function externalLinkTarget(url: string, knownHosts: readonly string[]): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  if (parsed.username || parsed.password) return null;
  const host = normaliseHost(parsed.hostname);
  if (!host || !knownHosts.some((h) => normaliseHost(h) === host)) return null;
  return parsed.href;
}

export interface ContentsPolicy {
  /** The URL to hand to the OS browser, or null (see externalLinkTarget). */
  externalTarget(url: string): string | null;
  openExternal(url: string): void;
}

/**
 * Every WebContents stays on our page: navigation is refused, new windows are refused, webviews
 * are refused. A link to a server's web UI opens in the admin's browser instead.
 */
export function hardenContents(
  contents: Pick<WebContents, 'on' | 'setWindowOpenHandler'>,
  policy: ContentsPolicy,
): void {
  const openOutside = (url: string) => {
    const target = policy.externalTarget(url);
    if (target) policy.openExternal(target);
  };
  contents.on('will-navigate', (event) => {
    event.preventDefault();
    openOutside(event.url);
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openOutside(url);
    return { action: 'deny' };
  });
}

/** Permissions denied except notifications; the CSP sent as a header too (the page also has it in a meta tag). */
export function hardenSession(ses: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'webRequest'>, csp: string): void {
  ses.setPermissionRequestHandler((_contents, permission, callback) => callback(permissionAllowed(permission)));
  ses.setPermissionCheckHandler((_contents, permission) => permissionAllowed(permission));
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
}
