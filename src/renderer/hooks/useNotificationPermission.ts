import { useCallback, useState } from 'react';
import { isWebFace } from '../lib/face';

export type Permission = NotificationPermission | 'unsupported';

function current(): Permission {
  if (!isWebFace() || typeof Notification === 'undefined') return 'unsupported';
  return Notification.permission;
}

/** The browser's notification permission, for the top bar's "Enable notifications" button. */
export function useNotificationPermission(): { permission: Permission; request: () => void } {
  const [permission, setPermission] = useState<Permission>(current);
  const request = useCallback(() => {
    if (typeof Notification === 'undefined') return;
    void Notification.requestPermission().then(setPermission, () => setPermission(current()));
  }, []);
  return { permission, request };
}
