import type { WolReport } from '../../shared/contract/power';
import { HandlerError } from '../base/errors';
import { describeSendFailure, LIMITED_BROADCAST, magicPacket, parseMac, parseSecureOn, type MacError, type WolSender } from '../drivers/wol/model';

/** The WoL test packet a face sends by hand: any MAC, to one address and port, with the input checked field by field. */
export async function sendTestPacket(
  send: WolSender,
  input: { mac: string; address?: string | undefined; port?: number | undefined; password?: string | undefined },
): Promise<WolReport> {
  let mac;
  try {
    mac = parseMac(input.mac);
  } catch (error) {
    throw new HandlerError('bad_request', (error as MacError).message, { mac: (error as MacError).message });
  }
  let password: Buffer | undefined;
  if (input.password) {
    try {
      password = parseSecureOn(input.password);
    } catch (error) {
      throw new HandlerError('bad_request', (error as Error).message, { password: (error as Error).message });
    }
  }
  const packet = magicPacket(mac, password);
  const results = await send({ packet, targets: [{ address: input.address ?? LIMITED_BROADCAST, port: input.port ?? 9 }] });
  const failure = describeSendFailure(results);
  if (failure) throw new HandlerError('failed', failure);
  return { mac: mac.text, bytes: packet.length, sent: results.map((r) => ({ ...r.target, ok: r.ok, ...(r.error ? { error: r.error } : {}) })) };
}
