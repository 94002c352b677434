import { useShallow } from 'zustand/react/shallow';
import { useRackdeck } from '../store';
import { Toast } from './Toast';

const VISIBLE = 4;

/** The newest notices, bottom right; a burst (a whole rack going down) shows the latest few. */
export function Toasts() {
  const notices = useRackdeck(useShallow((s) => s.notices.slice(0, VISIBLE)));
  return (
    <ol className="toasts" aria-label="Notifications">
      {notices.map((n) => (
        <Toast key={n.id} notice={n} />
      ))}
    </ol>
  );
}
