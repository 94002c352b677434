import { startProxmoxCluster, type ProxmoxClusterHandle, type ProxmoxClusterOptions } from '../../src/lab/proxmox';
import { fakeNodeHost, type FakeNodeHost } from '../../src/lab/proxmox/test-kit';
import { systemClock, type Clock } from '../../src/main/base/clock';
import type { ProxmoxCredentials } from '../../src/main/drivers/proxmox/model/credentials';
import { ProxmoxClient } from '../../src/main/drivers/proxmox/client';

/** A lab cluster on loopback with fast tasks and no auth-failure delay. */
export async function startLab(options: Partial<ProxmoxClusterOptions> & { nodeNames?: string[] } = {}): Promise<{ lab: ProxmoxClusterHandle; hosts: FakeNodeHost[] }> {
  const hosts = (options.nodeNames ?? ['pve1', 'pve2']).map((n) => fakeNodeHost(n));
  const lab = await startProxmoxCluster({ nodes: hosts, guests: 12, taskDelayMs: 5, authFailDelayMs: 0, seed: 7, ...options });
  return { lab, hosts };
}

export function tokenOf(lab: ProxmoxClusterHandle, which: 'adminToken' | 'auditToken' = 'adminToken'): ProxmoxCredentials {
  const t = lab.credentials[which];
  return { kind: 'token', tokenId: t.tokenId, secret: t.secret };
}

export function clientFor(lab: ProxmoxClusterHandle, options: { credentials?: ProxmoxCredentials; pin?: boolean; clock?: Clock; renewAfterMs?: number } = {}): ProxmoxClient {
  return new ProxmoxClient({
    name: 'lab',
    url: lab.url,
    credentials: options.credentials ?? tokenOf(lab),
    ...(options.pin === false ? {} : { fingerprint: lab.fingerprint }),
    clock: options.clock ?? systemClock,
    requestTimeoutMs: 10_000,
    ...(options.renewAfterMs ? { renewAfterMs: options.renewAfterMs } : {}),
  });
}
