import { useNotificationPermission } from '../hooks/useNotificationPermission';
import { Icon } from './Icon';

/** Offered only while the browser has not been asked yet; the desktop face notifies natively. */
export function NotificationsButton() {
  const { permission, request } = useNotificationPermission();
  if (permission !== 'default') return null;
  return (
    <button type="button" className="btn btn-ghost" data-testid="enable-notifications" onClick={request} title="Get a system notification when a server goes down or comes back">
      <Icon name="bell" size={16} /> <span className="label-wide">Enable notifications</span>
    </button>
  );
}
