import type { PowerCapabilities, ServerConfig, SystemInfoView } from '../../../shared/server';
import { isMac } from '../../drivers/wol/mac';

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
