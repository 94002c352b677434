import { describe, expect, it } from 'vitest';
import { confirmText, fingerprintLines, guestButtons, isDangerous, offerStopAfter, taskSummary } from '../../src/renderer/components/proxmox/guest-labels';

describe('what the Proxmox components say', () => {
  it('asks before actions that interrupt the guest, not before start/resume/pause', () => {
    expect(confirmText('start', 'web')).toBeNull();
    expect(confirmText('resume', 'web')).toBeNull();
    expect(confirmText('pause', 'web')).toBeNull();
    expect(confirmText('stop', 'web')).toMatch(/unsaved work/);
    expect(confirmText('shutdown', 'web')).toMatch(/cleanly/);
    expect(isDangerous('reset')).toBe(true);
    expect(isDangerous('shutdown')).toBe(false);
  });

  it('summarises a task and offers to stop after a failed shutdown only', () => {
    expect(taskSummary({ action: 'shutdown', status: 'running', outcome: 'running' })).toBe('Shut down: running…');
    expect(taskSummary({ action: 'start', status: 'stopped', outcome: 'error', exitstatus: 'VM quit' })).toBe('Start: failed: VM quit');
    expect(taskSummary({ action: 'snapshot s1', status: 'stopped', outcome: 'warnings', exitstatus: 'WARNINGS: 1' })).toBe('Snapshot s1: done with warnings: 1');
    expect(offerStopAfter({ action: 'shutdown', status: 'stopped', outcome: 'error' }, ['shutdown', 'stop'])).toBe(true);
    expect(offerStopAfter({ action: 'shutdown', status: 'stopped', outcome: 'ok' }, ['start'])).toBe(false);
    expect(offerStopAfter({ action: 'start', status: 'stopped', outcome: 'error' }, ['stop'])).toBe(false);
  });

  it('splits a fingerprint in two lines of 16 pairs for comparing by eye', () => {
    const fp = Array.from({ length: 32 }, (_, i) => i.toString(16).padStart(2, '0').toUpperCase()).join(':');
    const [a, b] = fingerprintLines(fp);
    expect(a?.split(':')).toHaveLength(16);
    expect(b?.startsWith('10:')).toBe(true);
  });
});

describe('the buttons a guest offers', () => {
  it('draws what main allows, start and resume first-class', () => {
    const r = guestButtons({ actions: ['resume', 'hibernate', 'stop'], nodeStatus: 'online', node: 'pve1' }, 'paused');
    expect(r.buttons.map((b) => [b.action, b.primary])).toEqual([
      ['resume', true],
      ['hibernate', false],
      ['stop', false],
    ]);
    expect(r.wakesNode).toBe(false);
  });

  it('offers Start on a sleeping node, and nothing on a template or while an action runs', () => {
    expect(guestButtons({ actions: [], nodeStatus: 'offline', node: 'pve2' }, 'unknown')).toEqual({ buttons: [{ action: 'start', label: 'Start', primary: true }], wakesNode: true });
    expect(guestButtons({ actions: [], nodeStatus: 'offline', node: 'pve2', template: true }, 'stopped').buttons).toEqual([]);
    expect(guestButtons({ actions: [], nodeStatus: 'offline', node: 'pve2' }, 'waking').note).toMatch(/current action/);
    expect(guestButtons({ actions: [], nodeStatus: 'online', node: 'pve2', lock: 'backup' }, 'on').note).toMatch(/Locked \(backup\)/);
  });
});

describe('what a guest card says of issue 15', () => {
  it('a hibernated VM is "Hibernated", not just Suspended; other states keep the power label', async () => {
    const { guestStateLabel } = await import('../../src/renderer/components/proxmox/guest-labels');
    expect(guestStateLabel({ vmid: 100, lock: 'suspended' }, 'suspended')).toBe('Hibernated');
    expect(guestStateLabel({ vmid: 100 }, 'paused')).toBeUndefined();
    expect(guestStateLabel({ vmid: 100, lock: 'backup' }, 'on')).toBeUndefined();
    expect(guestStateLabel(undefined, 'suspended')).toBeUndefined();
  });

  it('the backup chip shows only past the threshold, with the age; memory pressure from 5 %', async () => {
    const { backupChip, memoryPressure, pressureText, PRESSURE_SHOWN_AT, shortAge } = await import('../../src/renderer/components/proxmox/guest-labels');
    const day = 86_400_000;
    expect(backupChip({ lastOkAt: 0, scannedAt: 0, stale: false }, 2 * day)).toBeUndefined();
    expect(backupChip({ lastOkAt: 0, scannedAt: 0, stale: true, volid: 'nas:backup/x' }, 9 * day + 5)).toMatchObject({ text: 'Backup 9 d old', title: expect.stringContaining('nas:backup/x') });
    expect(backupChip({ scannedAt: 0, stale: true }, 0)?.text).toBe('No backup');
    expect(backupChip(undefined, 0)).toBeUndefined();
    expect([shortAge(30_000), shortAge(90 * 60_000), shortAge(30 * 3_600_000), shortAge(3 * day)]).toEqual(['just now', '1 h', '30 h', '3 d']);
    expect(memoryPressure({ memSome: 12.5, memFull: 3 })).toBe(12.5);
    expect(memoryPressure(undefined)).toBeUndefined();
    expect(PRESSURE_SHOWN_AT).toBe(5);
    expect([pressureText(0.25), pressureText(42.4)]).toEqual(['0.3 %', '42 %']);
  });
});
