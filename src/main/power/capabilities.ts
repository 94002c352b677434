import type { PowerCapabilities, ServerConfig, SystemInfoView } from '../../shared/server';
import { isMac } from '../drivers/wol/model/mac';
import { guestCapabilities, isProxmoxGuest } from './guests';

/**
 * What a server can do at all, from its config and what init found. A host can be woken with
 * a valid MAC or a custom wake command, whether or not init ever ran (EcoBox's chicken-and-egg
 * fix); the SSH actions need SSH settings or a custom command; hibernate is refused once init
 * saw `/sys/power/disk` forbid it.
 */
export function capabilitiesOf(server: Pick<ServerConfig, 'mac' | 'ssh' | 'powerControl'>, system?: Pick<SystemInfoView, 'hibernate'>): PowerCapabilities {
  const custom = server.powerControl?.customCommands ?? {};
  const ssh = server.ssh !== undefined;
  return {
    wake: custom.wake !== undefined || (server.mac !== undefined && isMac(server.mac)),
    suspend: custom.suspend !== undefined || ssh,
    // Before init has looked, hibernate is offered and checked when asked for.
    hibernate: custom.hibernate !== undefined || (ssh && system?.hibernate !== false),
    shutdown: custom.shutdown !== undefined || ssh,
    reboot: custom.reboot !== undefined || ssh,
  };
}

/**
 * What a server can do in the inventory it stands in. A Proxmox guest does everything through
 * the API. A Proxmox node is a machine: besides its own MAC or wake command, it wakes when the
 * physical host it runs on is woken (the parent chain's Wake-on-LAN), and suspends or shuts
 * down over its SSH like any host.
 */
export function capabilitiesIn(
  server: Pick<ServerConfig, 'id' | 'kind' | 'mac' | 'ssh' | 'powerControl' | 'proxmox' | 'parentId'>,
  context: {
    /** Whether the Proxmox capability is there to drive guests (else they are plain servers). */
    guests: boolean;
    parentOf(server: Pick<ServerConfig, 'parentId'>): ServerConfig | undefined;
    system(id: string): Pick<SystemInfoView, 'hibernate'> | undefined;
  },
): PowerCapabilities {
  if (context.guests && isProxmoxGuest(server)) return guestCapabilities(server);
  const own = capabilitiesOf(server, context.system(server.id));
  if (server.kind !== 'proxmox-node' || own.wake) return own;
  const seen = new Set([server.id]);
  for (let p = context.parentOf(server); p && !seen.has(p.id); p = context.parentOf(p)) {
    seen.add(p.id);
    if (capabilitiesOf(p, context.system(p.id)).wake) return { ...own, wake: true };
  }
  return own;
}
