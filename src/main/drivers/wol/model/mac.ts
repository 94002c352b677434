import { MAC_FORMS, macPairs } from '../../../../shared/net-syntax';

/**
 * MAC addresses as admins type them: the four spellings of the contract (shared/net-syntax.ts),
 * so the driver accepts exactly what every face's schema accepted; anything else is refused
 * with a message that shows them, rather than guessed at.
 */
export { MAC_FORMS };

export class MacError extends Error {
  constructor(input: string) {
    super(`"${input}" is not a MAC address; accepted forms: ${MAC_FORMS.join(', ')}`);
    this.name = 'MacError';
  }
}

export interface Mac {
  bytes: Buffer;
  /** Lower-case, colon-separated: the one form Rackdeck stores, shows and puts in commands. */
  text: string;
}

export function parseMac(input: string): Mac {
  const hex = macPairs(input);
  if (!hex) throw new MacError(input);
  return { bytes: Buffer.from(hex.join(''), 'hex'), text: hex.join(':') };
}

export function isMac(input: string): boolean {
  return macPairs(input) !== undefined;
}
