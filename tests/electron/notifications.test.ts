import type { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeClock } from '../../src/main/base/clock';
import { NoticeCoalescer, notificationPrefs, summarise, wantsNative, type NativeNote, type NotificationPrefs } from '../../src/main/faces/electron/notification-policy';
import type { Notice, NoticeLevel } from '../../src/shared/events';

const electron = vi.hoisted(() => {
  const created: { options: Record<string, unknown>; shown: boolean; emit(event: string): void }[] = [];
  return { created, supported: true };
});

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  class Notification extends Emitter {
    static isSupported = () => electron.supported;
    shown = false;
    constructor(readonly options: Record<string, unknown>) {
      super();
      electron.created.push(this);
    }
    show() {
      this.shown = true;
    }
  }
  return { Notification };
});

const { createNotifier } = await import('../../src/main/faces/electron/notifications');

let seq = 0;
function notice(level: NoticeLevel, title: string, serverId?: string): Notice {
  return { id: `n${++seq}`, at: 0, level, title, body: `body of ${title}`, ...(serverId ? { serverId } : {}) };
}
const down = (name: string) => notice('warning', `${name} went down`, name);
const nameOf = (id: string) => id; // fixtures name each server after its id

describe('which notices become native notifications', () => {
  const prefs = (p: Partial<NotificationPrefs> = {}): NotificationPrefs => ({ quiet: false, minLevel: 'info', ...p });

  it('shows every level by default and none when quiet', () => {
    for (const level of ['info', 'success', 'warning', 'error'] as const) {
      expect(wantsNative(notice(level, 'x'), prefs())).toBe(true);
      expect(wantsNative(notice(level, 'x'), prefs({ quiet: true }))).toBe(false);
    }
  });

  it('drops notices below the chosen level', () => {
    const p = prefs({ minLevel: 'warning' });
    expect(wantsNative(notice('info', 'x'), p)).toBe(false);
    expect(wantsNative(notice('success', 'x'), p)).toBe(false);
    expect(wantsNative(notice('warning', 'x'), p)).toBe(true);
    expect(wantsNative(notice('error', 'x'), p)).toBe(true);
  });

  it('reads preferences from settings when present and falls back to the defaults otherwise', () => {
    expect(notificationPrefs({ statusIntervalMs: 30_000 })).toEqual({ quiet: false, minLevel: 'info' });
    expect(notificationPrefs({ notifications: { quiet: true } })).toEqual({ quiet: true, minLevel: 'info' });
    expect(notificationPrefs({ notifications: { minLevel: 'error' } })).toEqual({ quiet: false, minLevel: 'error' });
    expect(notificationPrefs({ notifications: { quiet: 'yes' } })).toEqual({ quiet: false, minLevel: 'info' });
    expect(notificationPrefs(undefined)).toEqual({ quiet: false, minLevel: 'info' });
  });
});

describe('summaries', () => {
  it('shows a single notice as it is, about its server', () => {
    const n = down('nas');
    expect(summarise([n], nameOf)).toEqual({ title: 'nas went down', body: 'body of nas went down', level: 'warning', serverId: 'nas', count: 1 });
  });

  it('turns a burst of the same news into "7 servers went down" with a few names', () => {
    const burst = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map(down);
    const note = summarise(burst, nameOf);
    expect(note).toMatchObject({ title: '7 servers went down', body: 'a, b, c and 4 more', level: 'warning', count: 7 });
    expect(note.serverId).toBeUndefined();
  });

  it('makes the verb plural: "is up" becomes "are up"', () => {
    expect(summarise([notice('info', 'a is up', 'a'), notice('info', 'b is up', 'b')], nameOf)).toMatchObject({ title: '2 servers are up', body: 'a and b' });
  });

  it('sums up mixed news by kind, at the highest level', () => {
    const note = summarise([down('a'), down('b'), notice('info', 'c is up', 'c'), notice('error', 'Your config file could not be read')], nameOf);
    expect(note.title).toBe('4 updates from Rackdeck');
    expect(note.body).toBe('2 went down · 1 is up · Your config file could not be read');
    expect(note.level).toBe('error');
  });

  it('keeps the server when every notice is about the same one', () => {
    const note = summarise([notice('info', 'nas is up', 'nas'), down('nas')], nameOf);
    expect(note.serverId).toBe('nas');
  });

  it('uses the whole title when the name is unknown (server removed meanwhile)', () => {
    const note = summarise([down('gone1'), down('gone2')], () => undefined);
    expect(note.title).toBe('2 updates from Rackdeck');
    expect(note.body).toBe('gone1 went down · gone2 went down');
  });
});

describe('coalescing', () => {
  let clock: FakeClock;
  let shown: NativeNote[];
  let prefs: NotificationPrefs;
  let coalescer: NoticeCoalescer;
  beforeEach(() => {
    clock = new FakeClock();
    shown = [];
    prefs = { quiet: false, minLevel: 'info' };
    coalescer = new NoticeCoalescer({ clock, windowMs: 3000, prefs: () => prefs, nameOf, show: (n) => shown.push(n) });
  });

  it('holds a notice for the burst window, then shows it alone', async () => {
    coalescer.push(down('nas'));
    await clock.advance(2999);
    expect(shown).toEqual([]);
    await clock.advance(1);
    expect(shown).toEqual([expect.objectContaining({ title: 'nas went down', count: 1 })]);
  });

  it('shows one summary for many notices within the window', async () => {
    for (const name of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) {
      coalescer.push(down(name));
      await clock.advance(300);
    }
    expect(clock.pending()).toBe(1); // one window for the burst, not one timer per notice
    await clock.advance(3000);
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({ title: '7 servers went down', count: 7 });
  });

  it('starts a new burst after the window closes', async () => {
    coalescer.push(down('a'));
    await clock.advance(3000);
    coalescer.push(down('b'));
    coalescer.push(down('c'));
    await clock.advance(3000);
    expect(shown.map((n) => n.title)).toEqual(['a went down', '2 servers went down']);
  });

  it('ignores what the preferences exclude, without opening a window for it', async () => {
    prefs = { quiet: false, minLevel: 'warning' };
    coalescer.push(notice('info', 'a is up', 'a'));
    expect(clock.pending()).toBe(0);
    prefs = { quiet: true, minLevel: 'info' };
    coalescer.push(down('b'));
    await clock.advance(10_000);
    expect(shown).toEqual([]);
  });

  it('dispose drops what is pending', async () => {
    coalescer.push(down('a'));
    coalescer.dispose();
    await clock.advance(10_000);
    expect(shown).toEqual([]);
    expect(clock.pending()).toBe(0);
  });
});

describe('native notifier', () => {
  beforeEach(() => {
    electron.created.length = 0;
    electron.supported = true;
  });

  it('shows a notification and, on click, asks to select its server', () => {
    const onClick = vi.fn();
    const show = createNotifier({ icon: '/icons/256x256.png', onClick });
    show({ title: 'nas went down', body: 'It stopped answering.', level: 'warning', serverId: 'nas', count: 1 });
    const n = electron.created[0]!;
    expect(n.options).toMatchObject({ title: 'nas went down', body: 'It stopped answering.', icon: '/icons/256x256.png', urgency: 'normal' });
    expect(n.shown).toBe(true);
    (n as unknown as EventEmitter).emit('click');
    expect(onClick).toHaveBeenCalledWith('nas');
  });

  it('marks errors critical and summaries select nothing', () => {
    const onClick = vi.fn();
    createNotifier({ onClick })({ title: '7 servers went down', body: '', level: 'error', count: 7 });
    expect(electron.created[0]!.options.urgency).toBe('critical');
    (electron.created[0] as unknown as EventEmitter).emit('click');
    expect(onClick).toHaveBeenCalledWith(undefined);
  });

  it('does nothing where notifications are not supported', () => {
    electron.supported = false;
    createNotifier({ onClick: vi.fn() })({ title: 't', body: 'b', level: 'info', count: 1 });
    expect(electron.created).toHaveLength(0);
  });
});
