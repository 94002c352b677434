import type { ServerView } from '../../../shared/server';
import { ConsoleActions } from './ConsoleActions';

/** The drawer's Console section: a terminal, a VM screen, a command or live stats, as the server offers. */
export function ConsoleSection({ server }: { server: ServerView }) {
  return <ConsoleActions server={server} />;
}
