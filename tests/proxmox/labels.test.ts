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
