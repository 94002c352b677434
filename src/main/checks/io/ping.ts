import type ChildProcess from 'node:child_process';
import fs from 'node:fs';
import { unprivilegedIcmpAllowed, type PingResult } from '../model/network';
import type { PingProbe } from '../ports';
import { nodeModule } from '../../base/node-module';

const childProcess = nodeModule<typeof ChildProcess>('node:child_process');

/**
 * ICMP echo through the system's `ping` (iputils on Linux, BSD ping on macOS, Windows' ping):
 * it is the well-kept tool for this, uses an unprivileged ICMP datagram socket where the OS
 * allows one (Linux's `ping_group_range`, macOS always) and its own capability or setuid bit
 * otherwise. Node has no ICMP socket of its own. When it cannot be used (no binary, or the
 * kernel refuses the socket) the result says why, and the check falls back to TCP.
 */
export function systemPing(binary = 'ping'): PingProbe {
  return (address, timeoutMs, signal) =>
    new Promise<PingResult>((resolve) => {
      const seconds = Math.max(1, Math.ceil(timeoutMs / 1000));
      const args =
        process.platform === 'win32'
          ? ['-n', '1', '-w', String(timeoutMs), address]
          : process.platform === 'darwin'
            ? ['-n', '-c', '1', '-W', String(timeoutMs), address]
            : ['-n', '-c', '1', '-W', String(seconds), address];
      childProcess().execFile(binary, args, { timeout: timeoutMs + 2_000, signal, windowsHide: true }, (error, stdout, stderr) => {
        const rtt = /time[=<]\s*([\d.]+)\s*ms/i.exec(stdout);
        if (!error && rtt) return resolve({ kind: 'reply', rttMs: Number(rtt[1]) });
        const code = (error as NodeJS.ErrnoException | null)?.code;
        if (code === 'ENOENT') return resolve({ kind: 'unavailable', reason: `no "${binary}" program on this machine` });
        if (/operation not permitted|permission denied|socket: /i.test(stderr)) return resolve({ kind: 'unavailable', reason: whyNoIcmp(stderr) });
        // iputils and BSD ping exit 1 when no reply came; 2 (or a signal) is another error.
        const exit = typeof (error as { code?: unknown } | null)?.code === 'number' ? (error as unknown as { code: number }).code : undefined;
        if (exit === 1 || (error && !stderr.trim())) return resolve({ kind: 'timeout' });
        resolve({ kind: 'unavailable', reason: `ping failed: ${stderr.trim().split('\n')[0] ?? 'unknown error'}` });
      });
    });
}

/** The reason in words, with Linux's sysctl when it is what forbids it. */
function whyNoIcmp(stderr: string): string {
  if (process.platform !== 'linux') return `the system refuses ICMP to this user (${stderr.trim().split('\n')[0] ?? ''})`;
  let range: string | undefined;
  try {
    range = fs.readFileSync('/proc/sys/net/ipv4/ping_group_range', 'utf8').trim();
  } catch {
    range = undefined;
  }
  const gid = process.getgid?.() ?? -1;
  const uid = process.getuid?.() ?? -1;
  if (!unprivilegedIcmpAllowed(range, gid, uid)) {
    return `unprivileged ICMP is off here (net.ipv4.ping_group_range is "${range ?? '?'}", which excludes gid ${gid}) and ping has no raw-socket capability`;
  }
  return `the kernel refused the ICMP socket (${stderr.trim().split('\n')[0] ?? ''})`;
}
