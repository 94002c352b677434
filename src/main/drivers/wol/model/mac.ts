/**
 * MAC addresses as admins type them. Four spellings are accepted because they are the ones
 * `ip link`, Windows, Cisco and label printers produce; anything else is refused with a message
 * that shows them, rather than guessed at.
 */
export const MAC_FORMS = ['aa:bb:cc:dd:ee:ff', 'aa-bb-cc-dd-ee-ff', 'aabb.ccdd.eeff', 'aabbccddeeff'] as const;

const PATTERNS = [
  /^([0-9a-f]{2}):([0-9a-f]{2}):([0-9a-f]{2}):([0-9a-f]{2}):([0-9a-f]{2}):([0-9a-f]{2})$/i,
  /^([0-9a-f]{2})-([0-9a-f]{2})-([0-9a-f]{2})-([0-9a-f]{2})-([0-9a-f]{2})-([0-9a-f]{2})$/i,
  /^([0-9a-f]{2})([0-9a-f]{2})\.([0-9a-f]{2})([0-9a-f]{2})\.([0-9a-f]{2})([0-9a-f]{2})$/i,
  /^([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i,
];

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
  const trimmed = input.trim();
  for (const re of PATTERNS) {
    const m = re.exec(trimmed);
    if (!m) continue;
    const hex = m.slice(1, 7).map((h) => h.toLowerCase());
    return { bytes: Buffer.from(hex.join(''), 'hex'), text: hex.join(':') };
  }
  throw new MacError(input);
}

export function isMac(input: string): boolean {
  return PATTERNS.some((re) => re.test(input.trim()));
}
