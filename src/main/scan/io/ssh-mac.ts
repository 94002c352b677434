import type { Clock } from '../../base/clock';
import { SshPool } from '../../drivers/ssh';
import { KnownHostsStore } from '../../store/known-hosts';
import { macFromIpLink } from '../model';
import type { ScanSsh } from '../service';

/**
 * A host's MAC read over SSH (`ip -j link`), for hosts the kernel's neighbour table cannot know:
 * loopback lab hosts, or a host behind a router. Host keys are pinned on first use, in a file of
 * the scan's own (`scan-known-hosts.json`), so a scan never races power control's pins; one login
 * per host, closed after the read.
 */
export function sshMacReader(home: string, clock: Clock): (address: string, ssh: ScanSsh) => Promise<string | undefined> {
  return async (address, ssh) => {
    const pool = new SshPool({ knownHosts: new KnownHostsStore(home, 'scan-known-hosts.json'), clock, connectTimeoutMs: 5_000, commandTimeoutMs: 5_000 });
    try {
      const r = await pool.exec({ host: address, port: ssh.port, user: ssh.user, auth: { kind: 'key', keyPath: ssh.keyPath } }, 'ip -j link');
      return r.code === 0 ? macFromIpLink(r.stdout) : undefined;
    } finally {
      pool.close();
    }
  };
}
