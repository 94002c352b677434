import type { CheckOf } from '../../../shared/contract/checks';
import type { StorageView } from '../../../shared/contract/proxmox';
import type { GuestBackupView } from '../../../shared/contract/proxmox-data';
import type { Outcome } from './state';

const HOUR = 3_600_000;

/** Each guest's last good backup against the check's ages; a guest never backed up fails. */
export function judgeBackups(guests: ReadonlyArray<{ name: string; backup: GuestBackupView | undefined }>, check: CheckOf<'backup'>, now: number): Outcome {
  if (guests.length === 0) return { result: 'ok', message: 'no guests to check', details: { guests: 0 } };
  if (guests.every((g) => g.backup === undefined)) return { result: 'unknown', message: 'the cluster\'s backups have not been scanned yet' };
  const fail: string[] = [];
  const warn: string[] = [];
  let oldest = 0;
  for (const g of guests) {
    if (!g.backup) continue;
    if (g.backup.lastOkAt === undefined) {
      fail.push(`${g.name} never`);
      continue;
    }
    const hours = (now - g.backup.lastOkAt) / HOUR;
    oldest = Math.max(oldest, hours);
    const age = `${g.name} ${hours < 48 ? `${Math.round(hours)} h` : `${Math.round(hours / 24)} days`} ago`;
    if (hours >= check.failHours) fail.push(age);
    else if (hours >= check.warnHours) warn.push(age);
  }
  const details = { guests: guests.length, oldestHours: Math.round(oldest * 10) / 10 };
  if (fail.length) return { result: 'fail', message: `last good backup: ${[...fail, ...warn].join(', ')}`, details };
  if (warn.length) return { result: 'warning', message: `last good backup: ${warn.join(', ')}`, details };
  return { result: 'ok', message: guests.length === 1 ? `backed up ${Math.round(oldest)} h ago` : `${guests.length} guests backed up, the oldest ${Math.round(oldest)} h ago`, details };
}

/** A node's storages by fill; an enabled storage that is not active fails (it cannot take backups or disks). */
export function judgeStorage(storage: readonly StorageView[], check: CheckOf<'storage'>): Outcome {
  if (storage.length === 0) return { result: 'unknown', message: 'no storage known for this node yet (discovery has not listed it)' };
  const fail: string[] = [];
  const warn: string[] = [];
  const details: Record<string, number> = {};
  for (const s of storage) {
    if (s.enabled !== false && s.active === false) {
      fail.push(`${s.storage} inactive`);
      continue;
    }
    const fraction = s.fraction ?? (s.used !== undefined && s.total ? s.used / s.total : undefined);
    if (fraction === undefined) continue;
    const pct = Math.round(fraction * 1000) / 10;
    details[s.storage] = pct;
    if (pct >= check.failPercent) fail.push(`${s.storage} ${pct} %`);
    else if (pct >= check.warnPercent) warn.push(`${s.storage} ${pct} %`);
  }
  if (fail.length) return { result: 'fail', message: [...fail, ...warn].join(', '), details };
  if (warn.length) return { result: 'warning', message: warn.join(', '), details };
  const fullest = Object.entries(details).sort((a, b) => b[1] - a[1])[0];
  return { result: 'ok', message: fullest ? `${storage.length} storages, the fullest ${fullest[0]} at ${fullest[1]} %` : `${storage.length} storages`, details };
}
