import { useEffect } from 'react';
import { isWebFace } from '../lib/face';
import { useUi } from '../ui-store';
import { useClient } from './useClient';

/**
 * In the web face, also hands notices to the browser's Notification API once the admin allowed
 * it. The desktop face notifies natively from main, so this stays silent there. While the page
 * is in front and focused the in-page toast already says it, so the OS is not told twice.
 */
export function useBrowserNotifications(): void {
  const client = useClient();
  useEffect(() => {
    if (!isWebFace() || typeof Notification === 'undefined') return;
    return client.on('notice', (notice) => {
      if (Notification.permission !== 'granted') return;
      if (document.visibilityState === 'visible' && document.hasFocus()) return;
      const n = new Notification(notice.title, { body: notice.body, tag: notice.id });
      n.onclick = () => {
        window.focus();
        if (notice.serverId) useUi.getState().select(notice.serverId);
        n.close();
      };
    });
  }, [client]);
}
