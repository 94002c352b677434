import type { Outcome } from './state';

/**
 * What the SSH checks read from a host, parsed and judged (pure): lm-sensors' `sensors -j`,
 * `systemctl --failed --no-legend --plain`, the reboot-required marker, `apt list --upgradable`
 * and `df -P -B1`. Each parser takes the exact text the tool prints.
 */

export interface Reading {
  label: string;
  celsius: number;
  crit?: number;
  alarm: boolean;
}

/** Every `tempN_input` of every chip and feature in `sensors -j` (fans, voltages and ACPI noise skipped). */
export function parseSensors(text: string): Reading[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error(`sensors -j did not print JSON: ${text.trim().split('\n')[0]?.slice(0, 200) ?? ''}`);
  }
  if (!isRecord(raw)) throw new Error('sensors -j printed JSON of an unexpected shape');
  const out: Reading[] = [];
  for (const [chip, features] of Object.entries(raw)) {
    if (!isRecord(features)) continue;
    for (const [feature, values] of Object.entries(features)) {
      if (!isRecord(values)) continue;
      for (const [key, value] of Object.entries(values)) {
        const m = /^(temp\d+)_input$/.exec(key);
        if (!m || typeof value !== 'number' || !Number.isFinite(value)) continue;
        const crit = values[`${m[1]}_crit`];
        const alarm = values[`${m[1]}_alarm`] === 1 || values[`${m[1]}_crit_alarm`] === 1;
        out.push({ label: `${chip} ${feature}`, celsius: value, ...(typeof crit === 'number' && crit > 0 ? { crit } : {}), alarm });
      }
    }
  }
  return out;
}

export function judgeTemperatures(readings: readonly Reading[], warnC: number, failC: number): Outcome {
  if (readings.length === 0) return { result: 'unknown', message: 'sensors reports no temperature (is lm-sensors configured? try sensors-detect)' };
  const hottest = [...readings].sort((a, b) => b.celsius - a.celsius)[0] as Reading;
  const details: Record<string, string | number> = Object.fromEntries(readings.map((r) => [r.label, Math.round(r.celsius * 10) / 10]));
  const hot = (r: Reading) => `${r.label} at ${r.celsius.toFixed(1)} °C`;
  const failing = readings.filter((r) => r.celsius >= failC || r.alarm || (r.crit !== undefined && r.celsius >= r.crit));
  if (failing.length) return { result: 'fail', message: failing.map(hot).join(', '), details };
  const warm = readings.filter((r) => r.celsius >= warnC);
  if (warm.length) return { result: 'warning', message: warm.map(hot).join(', '), details };
  return { result: 'ok', message: `hottest: ${hot(hottest)}`, details };
}

/** Unit names from `systemctl --failed --no-legend --plain` (a leading ● on older systemd is dropped). */
export function parseFailedUnits(text: string): string[] {
  return text
    .split('\n')
    // ● as an escape: one non-ASCII character makes V8 hold the whole bundled chunk two bytes a character.
    .map((l) => l.replace(/^[\u25cf*]\s*/, '').trim())
    .filter((l) => l !== '' && !/^\d+ loaded units? listed/.test(l) && !l.startsWith('UNIT '))
    .map((l) => l.split(/\s+/)[0] as string);
}

export function judgeFailedUnits(units: readonly string[], ignore: readonly string[]): Outcome {
  const failed = units.filter((u) => !ignore.includes(u) && !ignore.includes(u.replace(/\.service$/, '')));
  if (failed.length === 0) return { result: 'ok', message: units.length ? `no failed units (${units.length} ignored)` : 'no failed units', details: { failed: 0 } };
  return { result: 'fail', message: `${failed.length} failed: ${failed.slice(0, 8).join(', ')}${failed.length > 8 ? '…' : ''}`, details: { failed: failed.length } };
}

export const REBOOT_MARK = 'RACKDECK-REBOOT-REQUIRED';
export const NO_REBOOT_MARK = 'RACKDECK-NO-REBOOT';
/** Prints the packages asking for it, then one of the two marks. */
export const REBOOT_COMMAND = `cat /var/run/reboot-required.pkgs 2>/dev/null; test -e /var/run/reboot-required && echo ${REBOOT_MARK} || echo ${NO_REBOOT_MARK}`;

export function judgeReboot(text: string, failWhenPending: boolean): Outcome {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  if (lines.includes(NO_REBOOT_MARK)) return { result: 'ok', message: 'no reboot pending' };
  if (!lines.includes(REBOOT_MARK)) return { result: 'unknown', message: 'could not tell whether a reboot is pending' };
  const pkgs = [...new Set(lines.filter((l) => l !== REBOOT_MARK))];
  return { result: failWhenPending ? 'fail' : 'warning', message: `a reboot is pending${pkgs.length ? ` (for ${pkgs.slice(0, 5).join(', ')}${pkgs.length > 5 ? '…' : ''})` : ''}`, details: { packages: pkgs.length } };
}

export interface Upgrade {
  name: string;
  suite: string;
  version: string;
  security: boolean;
}

/** `apt list --upgradable`: `name/suite[,suite] version arch [upgradable from: old]` lines after "Listing...". */
export function parseUpgradable(text: string): Upgrade[] {
  const out: Upgrade[] = [];
  for (const line of text.split('\n')) {
    const m = /^([^/\s]+)\/(\S+)\s+(\S+)\s+\S+\s+\[upgradable from: [^\]]+\]/.exec(line.trim());
    if (!m) continue;
    const suite = m[2] as string;
    out.push({ name: m[1] as string, suite, version: m[3] as string, security: /-security\b/.test(suite) });
  }
  return out;
}

export function judgeUpgrades(upgrades: readonly Upgrade[], failOnSecurity: boolean): Outcome {
  const security = upgrades.filter((u) => u.security);
  const details = { upgradable: upgrades.length, security: security.length };
  if (upgrades.length === 0) return { result: 'ok', message: 'up to date', details };
  const message = `${upgrades.length} upgrade${upgrades.length === 1 ? '' : 's'} waiting${security.length ? `, ${security.length} security (${security.slice(0, 4).map((u) => u.name).join(', ')}${security.length > 4 ? '…' : ''})` : ''}`;
  return { result: failOnSecurity && security.length ? 'fail' : 'warning', message, details };
}

export interface DfRow {
  size: number;
  used: number;
  avail: number;
  target: string;
}

/** The row of `df -P -B1 <mount>` (the header skipped; a source with spaces keeps the last five columns right). */
export function parseDf(text: string): DfRow {
  const rows = text.split('\n').slice(1).map((l) => l.trim()).filter(Boolean);
  const cols = rows[0]?.split(/\s+/) ?? [];
  if (cols.length < 6) throw new Error(`df printed no row: ${text.trim().slice(0, 200)}`);
  const [size, used, avail] = cols.slice(-5, -2).map(Number) as [number, number, number];
  if (![size, used, avail].every(Number.isFinite)) throw new Error(`df printed an unexpected row: ${rows[0] ?? ''}`);
  return { size, used, avail, target: cols.slice(5).join(' ') };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
