import { Notification } from 'electron';
import type { NativeNote } from './notification-policy';

export interface NotifierDeps {
  icon?: string;
  /** Clicking a note brings the window forward, on the server it is about if there is one. */
  onClick(serverId: string | undefined): void;
}

/** Shows a note as a native notification. Returns the function the coalescer calls. */
export function createNotifier(deps: NotifierDeps): (note: NativeNote) => void {
  // A Notification that is garbage-collected loses its click handler; hold each until it ends.
  const live = new Set<Notification>();
  return (note) => {
    if (!Notification.isSupported()) return;
    const n = new Notification({
      title: note.title,
      body: note.body,
      ...(deps.icon ? { icon: deps.icon } : {}),
      urgency: note.level === 'error' ? 'critical' : 'normal',
    });
    live.add(n);
    const release = () => live.delete(n);
    n.on('click', () => {
      release();
      deps.onClick(note.serverId);
    });
    n.on('close', release);
    n.on('failed', release);
    n.show();
  };
}
