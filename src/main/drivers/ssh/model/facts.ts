import type { SshExec, SshTarget } from './target';
import { dict } from '../../../../shared/own';

/**
 * The raw text the init loop gathers over SSH. The driver only collects strings; the core
 * parses them (power/init.ts), so nothing the host prints is trusted unparsed.
 */
export interface RawSystemFacts {
  osRelease?: string;
  pveDir: boolean;
  pveversion?: string;
  ipLinkJson?: string;
  /** Interface name → `ethtool <if>` output (absent when ethtool could not be run). */
  ethtool: Record<string, string>;
  sysPowerDisk?: string;
  sysPowerState?: string;
}

const IFNAME = /^[A-Za-z0-9_.@-]{1,15}$/;

export function isInterfaceName(name: string): boolean {
  return IFNAME.test(name) && !name.startsWith('-');
}

export async function gatherSystemFacts(
  ssh: SshExec,
  target: SshTarget,
  options: { timeoutMs: number; useSudo: boolean; interfacesOf: (ipLinkJson: string) => string[] },
): Promise<RawSystemFacts> {
  const run = async (command: string) => ssh.exec(target, command, { timeoutMs: options.timeoutMs });
  const text = async (command: string) => {
    const r = await run(command);
    return r.code === 0 ? r.stdout : undefined;
  };
  // The first command also proves SSH works; its failure (auth, host key) ends the init.
  const osRelease = await text('cat /etc/os-release');
  const pveDir = (await run('test -d /etc/pve')).code === 0;
  const pveversion = await text('pveversion');
  const ipLinkJson = await text('ip -j link');
  // Keyed by interface names the host reports: no prototype, so none lands on an inherited name.
  const ethtool = dict<string>();
  if (ipLinkJson) {
    for (const name of options.interfacesOf(ipLinkJson).filter(isInterfaceName).slice(0, 16)) {
      const out = await text(`${options.useSudo ? 'sudo -n ' : ''}ethtool ${name}`);
      if (out !== undefined) ethtool[name] = out;
    }
  }
  const sysPowerDisk = await text('cat /sys/power/disk');
  const sysPowerState = await text('cat /sys/power/state');
  return {
    pveDir,
    ethtool,
    ...(osRelease !== undefined ? { osRelease } : {}),
    ...(pveversion !== undefined ? { pveversion } : {}),
    ...(ipLinkJson !== undefined ? { ipLinkJson } : {}),
    ...(sysPowerDisk !== undefined ? { sysPowerDisk } : {}),
    ...(sysPowerState !== undefined ? { sysPowerState } : {}),
  };
}

/** `ethtool -s <if> wol g`, for the admin's "enable Wake-on-LAN" after init found it off. */
export function enableWolCommand(iface: string, useSudo: boolean): string {
  if (!isInterfaceName(iface)) throw new Error(`"${iface}" is not an interface name`);
  return `${useSudo ? 'sudo -n ' : ''}ethtool -s ${iface} wol g`;
}
