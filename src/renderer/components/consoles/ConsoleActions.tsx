import { CONSOLE_LABELS, consoleAvailability, type SessionKind } from '../../../shared/contract/consoles';
import type { ServerView } from '../../../shared/server';
import { openConsoleTab } from './tabs-store';
import './consoles.css';

export interface ConsoleActionsProps {
  server: ServerView;
  /** Called after a tab was opened (e.g. to show the console panel). */
  onOpened?(key: string): void;
}

const ORDER: SessionKind[] = ['ssh-shell', 'proxmox-term', 'vnc', 'exec', 'stats'];

/**
 * The console buttons for one server, for its card or detail drawer: only what it offers is
 * shown (SSH settings, Proxmox node / container / VM), so every button works when clicked.
 */
export function ConsoleActions({ server, onOpened }: ConsoleActionsProps) {
  const avail = consoleAvailability(server).kinds;
  const kinds = ORDER.filter((k) => avail[k].available);
  // The cluster refuses its consoles for the credentials held (a token on PVE 8): say so with the fix.
  const refusal = server.proxmox?.consoleRefusal ? (
    <p className="muted" data-testid="console-refusal">
      {server.proxmox.consoleRefusal}
    </p>
  ) : null;
  if (kinds.length === 0) return refusal ?? <p className="muted">{avail['ssh-shell'].reason ?? 'No console for this server.'}</p>;
  return (
    <div className="console-actions" data-testid="console-actions">
      {refusal}
      {kinds.map((kind) => (
        <button
          key={kind}
          type="button"
          className="btn"
          data-testid={`open-${kind}`}
          onClick={() => {
            const key = openConsoleTab({ serverId: server.id, serverName: server.name, kind });
            onOpened?.(key);
          }}
        >
          {CONSOLE_LABELS[kind]}
        </button>
      ))}
    </div>
  );
}
