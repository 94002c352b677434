import { useCallback, useState } from 'react';
import { isWebFace } from '../lib/face';

export type Permission = NotificationPermission | 'unsupported';

function read(): Permission {
  if (!isWebFace() || typeof Notification === 'undefined') return 'unsupported';
  return Notification.permission;
}

/** What readPermissionSoon found, for the button's first render; later renders read afresh. */
let early: Permission | undefined;

/**
 * Reads the permission in a task of its own as the page starts, while it waits on its socket
 * (boot.ts). `Notification.permission` is a synchronous round trip to the browser's process:
 * read by the top bar's first render, it sat in the snapshot's task, between the snapshot and
 * the first card (6–14 ms on a busy machine, Chrome traces, issue 16).
 */
export function readPermissionSoon(): void {
  setTimeout(() => {
    early = read();
  }, 0);
}

function current(): Permission {
  const known = early;
  early = undefined;
  return known ?? read();
}

/** The browser's notification permission, for the top bar's "Enable notifications" button. */
export function useNotificationPermission(): { permission: Permission; request: () => void } {
  const [permission, setPermission] = useState<Permission>(current);
  const request = useCallback(() => {
    if (typeof Notification === 'undefined') return;
    void Notification.requestPermission().then(setPermission, () => setPermission(read()));
  }, []);
  return { permission, request };
}
