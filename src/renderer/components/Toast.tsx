import { memo, useEffect, useRef, useState } from 'react';
import type { Notice, NoticeLevel } from '../../shared/events';
import { useRackdeck } from '../store';
import { useUi } from '../ui-store';
import { Icon, type IconName } from './Icon';
import { KeepAwakeAction } from './automation/KeepAwakeAction';

const ICONS: Record<NoticeLevel, IconName> = { info: 'info', success: 'check', warning: 'alert', error: 'error' };
/** Errors stay longer: they are the ones an admin must not miss. */
const LIFETIME: Record<NoticeLevel, number> = { info: 6000, success: 5000, warning: 9000, error: 15000 };

/** One notice; it leaves by itself unless the pointer rests on it. */
export const Toast = memo(function Toast({ notice }: { notice: Notice }) {
  const [paused, setPaused] = useState(false);
  const left = useRef(LIFETIME[notice.level]);
  useEffect(() => {
    if (paused) return;
    const started = Date.now();
    const t = setTimeout(() => useRackdeck.getState().dismissNotice(notice.id), left.current);
    return () => {
      clearTimeout(t);
      left.current = Math.max(1500, left.current - (Date.now() - started));
    };
  }, [paused, notice.id]);
  const openServer = notice.serverId ? () => useUi.getState().select(notice.serverId ?? null) : undefined;
  return (
    <li
      className="toast"
      data-level={notice.level}
      data-testid="toast"
      role={notice.level === 'error' ? 'alert' : 'status'}
      onMouseEnter={() => setPaused(true)}
      onMouseLeave={() => setPaused(false)}
    >
      <Icon name={ICONS[notice.level]} size={18} className="toast-icon" />
      <div className="toast-text">
        {openServer ? (
          <button type="button" className="toast-title link" onClick={openServer}>
            {notice.title}
          </button>
        ) : (
          <strong className="toast-title">{notice.title}</strong>
        )}
        {notice.body && <span className="toast-body">{notice.body}</span>}
        {notice.keepAwake && <KeepAwakeAction offer={notice.keepAwake} />}
      </div>
      <button type="button" className="icon-btn" aria-label="Dismiss" onClick={() => useRackdeck.getState().dismissNotice(notice.id)}>
        <Icon name="close" size={16} />
      </button>
    </li>
  );
});
