import type { CustomCommand } from '../../../../shared/server';
import { parseMac } from '../../wol/model/mac';

/**
 * Custom power commands (BMCs, Windows hosts, sleep-on-LAN daemons). The template is the
 * admin's own; the only values put into it are `{ip}` and `{mac}`, and only after they have
 * been validated down to characters no shell treats specially.
 */
export interface PlaceholderValues {
  ip?: string;
  mac?: string;
}

const SAFE_ADDRESS = /^[A-Za-z0-9.:[\]-]{1,253}$/;

export function validatedPlaceholders(input: { address: string; mac?: string | undefined }): PlaceholderValues {
  const values: PlaceholderValues = {};
  if (SAFE_ADDRESS.test(input.address) && !input.address.startsWith('-')) values.ip = input.address;
  if (input.mac) {
    try {
      values.mac = parseMac(input.mac).text;
    } catch {
      // An invalid MAC is simply not available; a template that needs it fails below.
    }
  }
  return values;
}

export function fillTemplate(template: string, values: PlaceholderValues): string {
  return template.replace(/\{(ip|mac)\}/g, (_m, name: 'ip' | 'mac') => {
    const value = values[name];
    if (value === undefined) throw new Error(`the command uses {${name}} but this server has no valid ${name === 'ip' ? 'address' : 'MAC address'}`);
    return value;
  });
}

/**
 * Splits a template into words the way a user expects (spaces separate, '…' and "…" group,
 * backslash escapes) without giving any character a shell meaning: the result goes to
 * execFile, never to a shell.
 */
export function splitWords(template: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < template.length; i++) {
    const ch = template[i] as string;
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && i + 1 < template.length) cur += template[++i];
      else cur += ch;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < template.length) {
      cur += template[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += ch;
      inWord = true;
    }
  }
  if (quote) throw new Error('the command has an unclosed quote');
  if (inWord) words.push(cur);
  return words;
}

/** Fills the placeholders word by word, so a value can never split into two arguments. */
export function localArgv(command: CustomCommand, values: PlaceholderValues): string[] {
  const words = splitWords(command.command).map((w) => fillTemplate(w, values));
  if (words.length === 0) throw new Error('the command is empty');
  return words;
}

export interface LocalResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a filled command on this machine (argv, never a shell); the driver's `runLocal` does it. */
export type LocalRunner = (argv: readonly string[], timeoutMs: number) => Promise<LocalResult>;
