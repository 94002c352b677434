/**
 * docs/PERFORMANCE.md: "Proxmox refresh, 3 nodes × 300 guests → 1 API request". The simulated cluster
 * with 900 guests, the engine's Proxmox capability as the app runs it (discovery writes the
 * guests into the inventory), the requests counted by the lab's own request log.
 */
import { startProxmoxCluster } from '../src/lab/proxmox';
import { fakeNodeHost } from '../src/lab/proxmox/test-kit';
import { systemClock } from '../src/main/base/clock';
import { composeCore } from '../src/main/root/core';
import { silentLogger } from '../src/main/base/logger';
import { memorySecrets } from '../src/main/proxmox/io/cluster-secrets';
import { probeHost } from '../src/main/drivers/probe';
import { openConfigStore } from '../src/main/store/config-store';
import { fmtMs, makeHome, median, watchdog } from './support/home';
import { judge, targetFor } from './targets';

const TARGET = targetFor('proxmox-refresh');
const NODES = 3;
const GUESTS = 900;
const REFRESHES = 5;
const stop = watchdog(3 * 60_000, 'proxmox refresh');

const hosts = Array.from({ length: NODES }, (_, i) => fakeNodeHost(`pve${i + 1}`));
const lab = await startProxmoxCluster({ nodes: hosts, guests: GUESTS, seed: 3, taskDelayMs: 5, authFailDelayMs: 0, certificateKey: 'ec' });
const home = makeHome();
const { engine, proxmox } = composeCore({ store: openConfigStore(home.dir), clock: systemClock, probe: probeHost, log: silentLogger, proxmox: { secrets: memorySecrets() } });
try {
  const token = lab.credentials.adminToken;
  const t0 = performance.now();
  const { report } = await proxmox.addCluster({ name: 'big', url: lab.url, token: `${token.tokenId}=${token.secret}`, fingerprint: lab.fingerprint });
  const first = performance.now() - t0;
  console.log(`first contact + discovery: ${report.nodes} nodes, ${report.guests} guests → ${engine.servers().length} servers in ${fmtMs(first)} (${report.requests} requests in the refresh itself)`);

  const perRefresh: number[] = [];
  const times: number[] = [];
  const kinds = new Map<string, number>();
  for (let i = 0; i < REFRESHES; i++) {
    lab.resetRequestLog();
    const t = performance.now();
    const [r] = await proxmox.discover('big');
    times.push(performance.now() - t);
    if (!r?.ok) throw new Error(`refresh failed: ${r?.error?.message ?? '?'}`);
    perRefresh.push(lab.requestCount());
    for (const [k, n] of Object.entries(lab.requestCounts())) kinds.set(k, (kinds.get(k) ?? 0) + n);
  }
  const worst = Math.max(...perRefresh);
  console.log(
    `Proxmox refresh, ${NODES} nodes × ${GUESTS / NODES} guests: ${worst} API request${worst === 1 ? '' : 's'} per refresh ${judge(TARGET, worst)}` +
      `  [${REFRESHES} refreshes: ${[...kinds].map(([k, n]) => `${n} × ${k}`).join(', ')}; ${fmtMs(median(times))} median per refresh, inventory sync included]`,
  );
} finally {
  engine.stop();
  await lab.stop();
  home.remove();
  stop();
}
