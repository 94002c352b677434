/**
 * docs/PERFORMANCE.md, wake on demand (issue 17): a client connects to a wake-on-demand listener
 * and waits for the service's first byte (the SSH banner of a lab host).
 *
 * - `wake-proxy` (asleep): the host is suspended, so the connection wakes it (power.run wake →
 *   magic packet to the lab listener → the lab's 1 s boot) and is held until SSH answers; what
 *   Rackdeck adds beyond the boot is the time between the port opening and its next try;
 * - `wake-proxy.awake`: the host is on, so the connection is spliced at once; what the proxy's
 *   extra hop costs against connecting to the host directly.
 */
import net from 'node:net';
import { startLab } from '../src/lab/lab';
import type { SimHost } from '../src/lab/hosts/host';
import { createApp } from '../src/main/root/app';
import { silentLogger } from '../src/main/base/logger';
import { fmtMs, makeHome, median, watchdog, type BenchServer } from './support/home';
import { judge, targetFor } from './targets';

const ASLEEP = targetFor('wake-proxy');
const AWAKE = targetFor('wake-proxy.awake');
const ROUNDS_ASLEEP = 5;
const ROUNDS_AWAKE = 30;
const BOOT_MS = 1000;
const stop = watchdog(5 * 60_000, 'wake proxy');

const lab = await startLab({ hosts: 3, proxmox: false, initialPower: 'on', firstAddress: '127.17.0.1', wolPort: 0, seed: 17, bootDelayMs: BOOT_MS, suspendDelayMs: 50 });
const host = lab.hosts.find((h) => !h.spec.secureOn) as SimHost;
const nic = host.spec.nics[0];
if (nic) host.machine.setWakeOn(nic.name, 'g');
const sshPort = host.spec.ports.ssh as number;
const servers: BenchServer[] = [
  {
    id: 'h0',
    name: 'h0',
    address: host.address,
    mac: host.mac,
    ports: [sshPort],
    // Never a real broadcast: the lab's listener on loopback only.
    wol: { directedBroadcast: false, limitedBroadcast: false, extraTargets: ['127.0.0.1'], ports: [lab.wol.port] },
  },
];
const home = makeHome({ servers });
const app = createApp({ home: home.dir, face: 'web', log: silentLogger, power: { fastPollMs: 250 } });
app.start();

/** Connect → the first byte the far side sends, in ms. */
function firstByte(port: number, address = '127.0.0.1'): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: address, port });
    socket.once('data', () => {
      socket.destroy();
      resolve(performance.now() - started);
    });
    socket.once('error', reject);
    socket.once('close', () => reject(new Error('closed before the first byte')));
  });
}

try {
  const listener = await app.wakeProxy.add({ server: 'h0', listenPort: 0, targetPort: sshPort, timeoutMs: 60_000 });
  const port = listener.boundPort as number;

  const asleep: number[] = [];
  for (let i = 0; i < ROUNDS_ASLEEP; i++) {
    await host.suspend();
    await app.engine.refresh('h0');
    asleep.push(await firstByte(port));
    await app.power.waitSettled('h0');
  }
  const worst = Math.max(...asleep);
  console.log(`wake on demand, host asleep (boot ${BOOT_MS} ms): connect → SSH banner median ${fmtMs(median(asleep))}, max ${fmtMs(worst)} ${judge(ASLEEP, worst, 'asleep')}  [${asleep.map((x) => fmtMs(x)).join(', ')}]`);

  const direct: number[] = [];
  const proxied: number[] = [];
  for (let i = 0; i < ROUNDS_AWAKE; i++) {
    direct.push(await firstByte(sshPort, host.address));
    proxied.push(await firstByte(port));
  }
  const extra = median(proxied) - median(direct);
  console.log(`wake on demand, host on: connect → SSH banner median ${fmtMs(median(proxied))} through the proxy, ${fmtMs(median(direct))} direct; extra ${fmtMs(extra)} ${judge(AWAKE, extra, 'awake')}`);
} finally {
  await app.stop();
  await lab.stop();
  home.remove();
  stop();
}
