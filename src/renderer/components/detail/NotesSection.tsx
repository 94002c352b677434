import type { ServerView } from '../../../shared/server';

export function NotesSection({ server: s }: { server: ServerView }) {
  return <p className="notes">{s.notes}</p>;
}
