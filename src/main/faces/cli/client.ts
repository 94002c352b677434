import type { RackdeckClient } from '../../../shared/contract';
import type { Transport } from '../../../shared/ipc';
import { namedClient } from '../../../shared/named-client';

/**
 * The CLI's typed client, built from channel names without the contract's schemas (the page's
 * first paint uses the same one): main parses every input anyway, so the CLI loads no schema
 * library on its way to a running engine; the types still come from the contract.
 */
export function cliClient(transport: Transport): RackdeckClient {
  return namedClient(transport);
}
