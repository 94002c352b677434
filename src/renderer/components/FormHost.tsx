import { useServer } from '../hooks/useServer';
import { useUi } from '../ui-store';
import { ServerForm } from './ServerForm';

/** Opens the add or edit form the UI state asks for; keyed so each opening starts fresh. */
export function FormHost() {
  const form = useUi((u) => u.form);
  const editing = useServer(form?.mode === 'edit' ? form.id : null);
  if (!form) return null;
  if (form.mode === 'edit') return editing ? <ServerForm key={`edit-${editing.id}`} editing={editing} /> : null;
  return <ServerForm key="add" />;
}
