/**
 * docs/PERFORMANCE.md: "Proxmox refresh, 3 nodes × 300 guests, 10 % paused → 1 + nodes API
 * requests". The simulated cluster (PVE 9.1) with 900 guests, 90 of them paused VMs, the
 * engine's Proxmox capability as the app runs it (discovery writes the guests into the
 * inventory), the requests counted by the lab's own request log. Every refresh must also show
 * every paused VM paused: the count is only worth something if the answer is right.
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
const lab = await startProxmoxCluster({ nodes: hosts, version: 9, guests: GUESTS, seed: 3, taskDelayMs: 5, authFailDelayMs: 0, certificateKey: 'ec' });
// 10 % of the guests paused: VMs (only they pause in QEMU's sense), spread over the nodes.
const pausable = lab
  .vmids()
  .map((v) => lab.guest(v).info())
  .filter((g) => g.type === 'qemu' && !g.template && !g.lock && !g.haRequest);
const paused = pausable.filter((_, i) => i % Math.max(1, Math.floor(pausable.length / (GUESTS / 10))) === 0).slice(0, GUESTS / 10);
for (const g of paused) lab.guest(g.vmid).setStatus('paused');
const pausedIds = new Set(paused.map((g) => g.vmid));
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
    const shownPaused = proxmox.guests('big').filter((g) => pausedIds.has(g.vmid) && g.power === 'paused').length;
    if (shownPaused !== pausedIds.size) throw new Error(`refresh ${i + 1}: ${shownPaused} of ${pausedIds.size} paused VMs shown paused`);
  }
  const worst = Math.max(...perRefresh);
  console.log(
    `Proxmox refresh, ${NODES} nodes × ${GUESTS / NODES} guests, ${pausedIds.size} paused VMs (all shown paused): ${worst} API request${worst === 1 ? '' : 's'} per refresh ${judge(TARGET, worst)}` +
      `  [${REFRESHES} refreshes: ${[...kinds].map(([k, n]) => `${n} × ${k}`).join(', ')}; ${fmtMs(median(times))} median per refresh, inventory sync included]`,
  );
} finally {
  engine.stop();
  await lab.stop();
  home.remove();
  stop();
}
