import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxmoxClusterHandle } from '../../src/lab/proxmox';
import { FakeClock } from '../../src/main/base/clock';
import { isProxmoxError, ProxmoxError } from '../../src/main/drivers/proxmox/model/errors';
import { inspectCertificate } from '../../src/main/drivers/proxmox/http';
import { clientFor, startLab, tokenOf } from './lab-kit';

/** Auth kinds and their failures, and certificate pinning, against the lab over HTTPS on loopback. */
let lab: ProxmoxClusterHandle;

beforeAll(async () => {
  // Pinned to PVE 8.4: the token test expects an 8.x version (the lab's default is now 9.1).
  ({ lab } = await startLab({ version: 8 }));
});
afterAll(async () => {
  await lab.stop();
});

async function failure(p: Promise<unknown>): Promise<ProxmoxError> {
  try {
    await p;
  } catch (error) {
    if (error instanceof ProxmoxError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('API token', () => {
  it('works with the PVEAPIToken header', async () => {
    const c = clientFor(lab);
    expect(await c.version()).toMatchObject({ version: expect.stringMatching(/^8\./) });
    c.close();
  });

  it('a wrong secret is "wrong credentials" (401), read from the status line of an empty body', async () => {
    const c = clientFor(lab, { credentials: { ...tokenOf(lab), secret: '00000000-0000-4000-8000-000000000000' } as never });
    const e = await failure(c.version());
    expect(e.kind).toBe('auth');
    expect(e.status).toBe(401);
    expect(e.message).toMatch(/invalid token value/);
    c.close();
  });

  it('a missing privilege is named with its path (403)', async () => {
    const c = clientFor(lab, { credentials: tokenOf(lab, 'auditToken') });
    const { guests } = await c.resources();
    const stopped = guests.find((g) => g.status === 'stopped' && !g.template)!;
    const e = await failure(c.action(stopped, 'start'));
    expect(e.kind).toBe('permission');
    expect(e.permission).toEqual({ path: `/vms/${stopped.vmid}`, privilege: 'VM.PowerMgmt' });
    expect(e.message).toBe(`Missing privilege VM.PowerMgmt on /vms/${stopped.vmid}`);
    c.close();
  });
});

describe('ticket (user and password)', () => {
  it('logs in, sends the CSRF token on writes, and a write works', async () => {
    const c = clientFor(lab, { credentials: { kind: 'ticket', ...lab.credentials.user } });
    const { guests } = await c.resources();
    const g = guests.find((x) => x.status === 'running' && x.type === 'qemu' && !x.template)!;
    const snap = await c.createSnapshot(g, { name: 'ticketed' });
    const done = await c.followTask(snap, { intervalMs: 20 });
    expect(done.task.outcome).toBe('ok');
    expect(lab.requestCounts()['POST /access/ticket']).toBeGreaterThanOrEqual(1);
    await c.followTask(await c.deleteSnapshot(g, 'ticketed'), { intervalMs: 20 });
    c.close();
  });

  it('a wrong password is "wrong credentials"', async () => {
    const c = clientFor(lab, { credentials: { kind: 'ticket', username: 'root@pam', password: 'nope' } });
    const e = await failure(c.version());
    expect(e.kind).toBe('auth');
    expect(e.message).toMatch(/authentication failure/);
    c.close();
  });

  it('renews the ticket before its 2 h lifetime ends, with the ticket itself', async () => {
    const clock = new FakeClock(Date.now());
    const c = clientFor(lab, { credentials: { kind: 'ticket', ...lab.credentials.user }, clock });
    await c.version();
    expect(c.api.ticket?.stats).toEqual({ logins: 1, renewals: 0 });
    const before = lab.requestCounts()['POST /access/ticket'] ?? 0;
    // 61 simulated minutes on both sides: still valid, due for renewal.
    lab.advanceTime(61 * 60_000);
    await clock.advance(61 * 60_000);
    await c.resources();
    expect(c.api.ticket?.stats).toEqual({ logins: 1, renewals: 1 });
    expect(lab.requestCounts()['POST /access/ticket']).toBe(before + 1);
    // The renewed ticket outlives the old one's 2 h.
    lab.advanceTime(70 * 60_000);
    await clock.advance(59 * 60_000);
    expect((await c.resources()).guests.length).toBeGreaterThan(0);
    c.close();
  });

  it('logs in again when the cluster refuses a ticket early (it rotated its key)', async () => {
    const c = clientFor(lab, { credentials: { kind: 'ticket', ...lab.credentials.user } });
    await c.version();
    lab.expireTickets();
    await c.version();
    expect(c.api.ticket?.stats.logins).toBe(2);
    c.close();
  });
});

describe('certificate pinning (trust on first use)', () => {
  it('refuses first contact with a self-signed cluster, carrying the presented fingerprint, before any request is sent', async () => {
    const before = lab.requestCount();
    const c = clientFor(lab, { pin: false });
    const e = await failure(c.version());
    expect(e.kind).toBe('certificate_untrusted');
    expect(e.fingerprint).toBe(lab.fingerprint);
    expect(e.message).toContain(lab.fingerprint);
    expect(lab.requestCount()).toBe(before);
    c.close();
  });

  it('shows the certificate without sending anything, for the trust step', async () => {
    const info = await inspectCertificate(lab.url);
    expect(info).toMatchObject({ fingerprint: lab.fingerprint, authorized: false });
  });

  it('works once pinned (any spelling of the fingerprint), and refuses a wrong pin as a changed certificate', async () => {
    const c = clientFor(lab);
    expect(await c.version()).toBeTruthy();
    c.close();
    const lower = new (await import('../../src/main/drivers/proxmox/client')).ProxmoxClient({ name: 'lab', url: lab.url, credentials: tokenOf(lab), fingerprint: lab.fingerprint.replace(/:/g, '').toLowerCase(), clock: new FakeClock() });
    expect(await lower.version()).toBeTruthy();
    lower.close();
  });

  it('refuses the cluster after its certificate changed, naming both fingerprints', async () => {
    const pinned = lab.fingerprint;
    const c = clientFor(lab);
    await c.version();
    const before = lab.requestCount();
    const rotated = await lab.rotateCertificate();
    c.close(); // drop the kept-alive connection made with the old certificate
    const e = await failure(c.version());
    expect(e.kind).toBe('certificate_mismatch');
    expect(e.fingerprint).toBe(rotated);
    expect(e.expectedFingerprint).toBe(pinned);
    expect(e.message).toContain('has changed');
    expect(lab.requestCount()).toBe(before);
    expect(isProxmoxError(e, 'certificate_mismatch')).toBe(true);
    c.close();
  });
});

describe('unreachable', () => {
  it('a closed port is "unreachable"', async () => {
    const port = Number(new URL(lab.url).port);
    const { ProxmoxClient } = await import('../../src/main/drivers/proxmox/client');
    const c = new ProxmoxClient({ name: 'x', url: `https://127.0.0.1:${port === 1 ? 2 : 1}`, credentials: tokenOf(lab), fingerprint: lab.fingerprint, clock: new FakeClock() });
    const e = await failure(c.version());
    expect(e.kind).toBe('unreachable');
    c.close();
  });
});
