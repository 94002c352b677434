import type { ServerConfig } from '../../../../shared/server';
import { wolSettingsSchema } from '../../../../shared/server';
import { parseMac } from './mac';
import { magicPacket, parseSecureOn } from './packet';
import { describeSendFailure, type WolSender, type WolSendResult } from './send';
import { planWolTargets } from './targets';

/**
 * Sends a configured server's magic packet the full way: every target its settings name, with
 * the SecureOn password from the secrets store when it is enabled. Throws with a clear reason
 * when nothing could be sent.
 */
export async function wakeServer(
  server: Pick<ServerConfig, 'id' | 'name' | 'address' | 'mac' | 'wol'>,
  secretOf: (serverId: string) => string | undefined,
  send: WolSender,
): Promise<WolSendResult[]> {
  if (!server.mac) throw new Error(`${server.name} has no MAC address to wake`);
  const mac = parseMac(server.mac);
  const settings = server.wol ?? wolSettingsSchema.parse({});
  let password: Buffer | undefined;
  if (settings.secureOn) {
    const secret = secretOf(server.id);
    if (!secret) throw new Error(`SecureOn is enabled for ${server.name} but no password is stored`);
    password = parseSecureOn(secret);
  }
  const targets = planWolTargets(settings, server.address);
  const results = await send({ packet: magicPacket(mac, password), targets, ...(settings.bindAddress ? { bindAddress: settings.bindAddress } : {}) });
  const failure = describeSendFailure(results);
  if (failure) throw new Error(failure);
  return results;
}
