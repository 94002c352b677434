import fs from 'node:fs/promises';
import { createRequire } from 'node:module';

/**
 * MAC vendors from the IEEE OUI list as the `oui-data` package ships it (MA-L, MA-M and MA-S
 * registries keyed by 6, 7 and 9 hex digits). Read once, on the first lookup: a scan that found
 * no MAC never loads its 5 MB.
 */
let table: Promise<Record<string, string>> | undefined;

function load(): Promise<Record<string, string>> {
  table ??= (async () => {
    const file = createRequire(import.meta.url).resolve('oui-data');
    return JSON.parse(await fs.readFile(file, 'utf8')) as Record<string, string>;
  })();
  return table;
}

/** The vendor's name (the first line of its registry entry); the longest registered prefix wins. */
export async function ouiVendor(mac: string): Promise<string | undefined> {
  const hex = mac.replace(/[^0-9a-fA-F]/g, '').toUpperCase();
  if (hex.length !== 12) return undefined;
  const data = await load();
  const entry = data[hex.slice(0, 9)] ?? data[hex.slice(0, 7)] ?? data[hex.slice(0, 6)];
  return entry?.split('\n')[0]?.trim() || undefined;
}
