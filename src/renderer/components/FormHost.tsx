import { lazy, Suspense } from 'react';
import { useServer } from '../hooks/useServer';
import { useUi } from '../ui-store';

// The form and its sections are a dialog, not the first screen: loaded when first opened.
const ServerForm = lazy(() => import('./ServerForm').then((m) => ({ default: m.ServerForm })));

/** Opens the add or edit form the UI state asks for; keyed so each opening starts fresh. */
export function FormHost() {
  const form = useUi((u) => u.form);
  const editing = useServer(form?.mode === 'edit' ? form.id : null);
  if (!form) return null;
  if (form.mode === 'edit' && !editing) return null;
  return <Suspense fallback={null}>{editing ? <ServerForm key={`edit-${editing.id}`} editing={editing} /> : <ServerForm key="add" />}</Suspense>;
}
