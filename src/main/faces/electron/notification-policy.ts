import * as z from 'zod';
import type { Notice, NoticeLevel } from '../../../shared/events';
import type { Clock, TimerHandle } from '../../base/clock';

export interface NotificationPrefs {
  /** No native notifications at all; the in-app list still gets every notice. */
  quiet: boolean;
  /** Notices below this level stay in the app. */
  minLevel: NoticeLevel;
}

export const DEFAULT_PREFS: NotificationPrefs = { quiet: false, minLevel: 'info' };

const RANK: Record<NoticeLevel, number> = { info: 0, success: 1, warning: 2, error: 3 };

/** What the desktop shows natively: one notice, or the summary of a burst. */
export interface NativeNote {
  title: string;
  body: string;
  level: NoticeLevel;
  /** Set when the note is about one server: clicking it selects that server. */
  serverId?: string;
  /** How many notices it stands for. */
  count: number;
}

const prefsSchema = z.object({
  notifications: z
    .object({ quiet: z.boolean().optional(), minLevel: z.enum(['info', 'success', 'warning', 'error']).optional() })
    .optional(),
});

/**
 * Reads the admin's notification preferences from the settings, if the settings carry them
 * (`settings.notifications.{quiet,minLevel}`); anything missing or malformed means the defaults.
 */
export function notificationPrefs(settings: unknown): NotificationPrefs {
  const parsed = prefsSchema.safeParse(settings);
  const n = parsed.success ? parsed.data.notifications : undefined;
  return { quiet: n?.quiet ?? DEFAULT_PREFS.quiet, minLevel: n?.minLevel ?? DEFAULT_PREFS.minLevel };
}

export function wantsNative(notice: Notice, prefs: NotificationPrefs): boolean {
  return !prefs.quiet && RANK[notice.level] >= RANK[prefs.minLevel];
}

const pluralVerb = (phrase: string) => phrase.replace(/^is /, 'are ').replace(/^was /, 'were ').replace(/^has /, 'have ');

/** "nas, pve1, pve2 and 4 more" */
function nameList(names: readonly string[], shown = 3): string {
  if (names.length <= shown) return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : (names[0] ?? '');
  return `${names.slice(0, shown).join(', ')} and ${names.length - shown} more`;
}

/**
 * One native note for a batch of notices. A single notice is shown as it is; a burst becomes a
 * summary grouped by what happened: seven "<name> went down" notices read "7 servers went down".
 * What happened is the title with the server's name taken off its front.
 */
export function summarise(notices: readonly Notice[], nameOf: (serverId: string) => string | undefined): NativeNote {
  const first = notices[0];
  if (!first) throw new Error('summarise needs at least one notice');
  const level = notices.reduce<NoticeLevel>((top, n) => (RANK[n.level] > RANK[top] ? n.level : top), 'info');
  const serverIds = new Set(notices.map((n) => n.serverId));
  const onlyServer = serverIds.size === 1 ? first.serverId : undefined;
  if (notices.length === 1) return { title: first.title, body: first.body, level: first.level, count: 1, ...(onlyServer ? { serverId: onlyServer } : {}) };

  const groups = new Map<string, string[]>();
  for (const n of notices) {
    const name = n.serverId !== undefined ? nameOf(n.serverId) : undefined;
    const isAboutServer = name !== undefined && n.title.startsWith(`${name} `);
    const phrase = isAboutServer ? n.title.slice(name.length + 1) : n.title;
    const key = isAboutServer ? phrase : `\u0000${n.title}`;
    const list = groups.get(key) ?? [];
    list.push(isAboutServer ? name : n.title);
    groups.set(key, list);
  }

  const base = { level, count: notices.length, ...(onlyServer ? { serverId: onlyServer } : {}) };
  const entries = [...groups.entries()];
  const [only] = entries;
  if (entries.length === 1 && only && !only[0].startsWith('\u0000')) {
    const [phrase, names] = only;
    return { ...base, title: `${names.length} servers ${pluralVerb(phrase)}`, body: nameList(names) };
  }
  const parts = entries.map(([key, names]) => {
    if (key.startsWith('\u0000')) return names.length > 1 ? `${names[0]} (×${names.length})` : (names[0] ?? '');
    return `${names.length} ${names.length > 1 ? pluralVerb(key) : key}`;
  });
  const shown = parts.slice(0, 4);
  const body = shown.join(' · ') + (parts.length > shown.length ? ` · and ${parts.length - shown.length} more` : '');
  return { ...base, title: `${notices.length} updates from Rackdeck`, body };
}

export interface CoalescerOptions {
  clock: Clock;
  /** How long a burst is collected before one note goes out. */
  windowMs: number;
  prefs: () => NotificationPrefs;
  nameOf: (serverId: string) => string | undefined;
  show: (note: NativeNote) => void;
}

/**
 * Collects the notices that deserve a native notification for `windowMs` after the first, then
 * shows one note for the lot: a sweep that finds a rack powered off produces one notification,
 * not twenty.
 */
export class NoticeCoalescer {
  private pending: Notice[] = [];
  private timer: TimerHandle | undefined;

  constructor(private readonly options: CoalescerOptions) {}

  push(notice: Notice): void {
    if (!wantsNative(notice, this.options.prefs())) return;
    this.pending.push(notice);
    this.timer ??= this.options.clock.setTimeout(() => this.flush(), this.options.windowMs);
  }

  flush(): void {
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    if (batch.length) this.options.show(summarise(batch, this.options.nameOf));
  }

  dispose(): void {
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = [];
  }
}
