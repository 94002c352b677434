import type { NetworkInterfaceView } from './server';

/**
 * Whether Wake-on-LAN can bring a server back, from what init found (issue 13): the interface
 * whose MAC is used for Wake-on-LAN, when init saw WoL off on it. A custom wake command does
 * not use Wake-on-LAN, so it is never in the way then. Pure, for the engine, the card and the CLI.
 */
export interface WolReadinessInput {
  mac?: string | undefined;
  system?: { interfaces: readonly NetworkInterfaceView[] } | undefined;
  powerControl?: { customCommands?: { wake?: unknown } | undefined } | undefined;
}

const bare = (mac: string) => mac.replace(/[^0-9a-f]/gi, '').toLowerCase();

/** The interface with Wake-on-LAN off whose MAC is used, or undefined when nothing is known to be in the way. */
export function wolOffInterface(server: WolReadinessInput): NetworkInterfaceView | undefined {
  if (!server.mac || !server.system || server.powerControl?.customCommands?.wake !== undefined) return undefined;
  const mac = bare(server.mac);
  return server.system.interfaces.find((nic) => bare(nic.mac) === mac && nic.wolEnabled === false);
}

/** The words of the warning before a server is powered down, as the card and the CLI say them. */
export function wolOffWarning(iface: string): string {
  return `it will not come back by Wake-on-LAN: WoL is off on ${iface} — enable it first?`;
}

/** Why the reconcile loop stops trying to wake it. */
export function wolOffBlock(iface: string): string {
  return `Wake-on-LAN is off on ${iface}, the interface whose MAC is used (init found it so): enable it ("Enable WoL" in its details, or rackdeck init <server> --enable-wol)`;
}

/** The actions after which only Wake-on-LAN (or a wake command, or the power button) brings it back. */
export function powersDown(action: string): boolean {
  return action === 'suspend' || action === 'hibernate' || action === 'shutdown';
}
