import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { externalLinkTarget, hardenContents, hardenSession, permissionAllowed } from '../../src/main/faces/electron/security';
import type { Session, WebContents } from 'electron';

const hosts = ['pve.lab', '127.0.1.5', 'NAS.local', '::1'];

describe('external links', () => {
  it.each([
    ['https://pve.lab:8006/', 'https://pve.lab:8006/'],
    ['http://127.0.1.5/admin', 'http://127.0.1.5/admin'],
    ['https://nas.local./', 'https://nas.local./'],
    ['http://[::1]:8080/', 'http://[::1]:8080/'],
  ])('opens %s: a server web UI', (url, expected) => {
    expect(externalLinkTarget(url, hosts)).toBe(expected);
  });

  it.each([
    'https://evil.example/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'smb://pve.lab/share',
    'ssh://pve.lab',
    'https://user:pass@pve.lab/',
    'https://pve.lab.evil.example/',
    'not a url',
    '',
  ])('refuses %s', (url) => {
    expect(externalLinkTarget(url, hosts)).toBeNull();
  });
});

describe('permissions', () => {
  it('allows notifications and nothing else', () => {
    expect(permissionAllowed('notifications')).toBe(true);
    for (const p of ['media', 'geolocation', 'openExternal', 'clipboard-read', 'fullscreen', 'unknown']) expect(permissionAllowed(p)).toBe(false);
  });

  it('installs request and check handlers that say so, and the CSP header', () => {
    const ses = {
      setPermissionRequestHandler: vi.fn(),
      setPermissionCheckHandler: vi.fn(),
      webRequest: { onHeadersReceived: vi.fn() },
    };
    hardenSession(ses as unknown as Session, "default-src 'self'");
    const request = ses.setPermissionRequestHandler.mock.calls[0]![0] as (c: unknown, p: string, cb: (ok: boolean) => void) => void;
    const answers: boolean[] = [];
    request(null, 'media', (ok) => answers.push(ok));
    request(null, 'notifications', (ok) => answers.push(ok));
    expect(answers).toEqual([false, true]);
    const check = ses.setPermissionCheckHandler.mock.calls[0]![0] as (c: unknown, p: string) => boolean;
    expect(check(null, 'geolocation')).toBe(false);
    const headers = ses.webRequest.onHeadersReceived.mock.calls[0]![0] as (d: unknown, cb: (r: unknown) => void) => void;
    let response: unknown;
    headers({ responseHeaders: { 'X-A': ['1'] } }, (r) => (response = r));
    expect(response).toEqual({ responseHeaders: { 'X-A': ['1'], 'Content-Security-Policy': ["default-src 'self'"] } });
  });
});

describe('web contents hardening', () => {
  const setup = () => {
    const contents = Object.assign(new EventEmitter(), { setWindowOpenHandler: vi.fn() });
    const opened: string[] = [];
    hardenContents(contents as unknown as WebContents, { externalTarget: (url) => externalLinkTarget(url, hosts), openExternal: (u) => opened.push(u) });
    const windowOpen = contents.setWindowOpenHandler.mock.calls[0]![0] as (d: { url: string }) => { action: string };
    return { contents, opened, windowOpen };
  };

  it('prevents every navigation, opening only server web UIs outside', () => {
    const { contents, opened } = setup();
    for (const url of ['https://evil.example/', 'https://pve.lab:8006/']) {
      const event = { url, preventDefault: vi.fn() };
      contents.emit('will-navigate', event);
      expect(event.preventDefault).toHaveBeenCalled();
    }
    expect(opened).toEqual(['https://pve.lab:8006/']);
  });

  it('denies every new window, opening only server web UIs outside', () => {
    const { opened, windowOpen } = setup();
    expect(windowOpen({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(windowOpen({ url: 'http://127.0.1.5/' })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['http://127.0.1.5/']);
  });

  it('refuses webviews', () => {
    const { contents } = setup();
    const event = { preventDefault: vi.fn() };
    contents.emit('will-attach-webview', event);
    expect(event.preventDefault).toHaveBeenCalled();
  });
});
