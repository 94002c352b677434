import { useEffect, useRef, useState } from 'react';
import { useClient } from '../../hooks/useClient';
import { openConsoleStream, type ConsoleStream, type StreamState } from './session-stream';
import { TerminalSearch } from './TerminalSearch';
import { useTerminal } from './use-terminal';
import './consoles.css';

export type ConsoleStatus = 'opening' | 'open' | 'closed' | 'failed';

export interface TerminalViewProps {
  serverId: string;
  /** An SSH shell (default), or a Proxmox node shell / container console. */
  kind?: 'ssh-shell' | 'proxmox-term';
  /** False while the view sits in a background tab; it fits and focuses itself when shown. */
  active?: boolean;
  onStatus?(status: ConsoleStatus): void;
}

export function statusOf(state: StreamState): ConsoleStatus {
  return state.phase;
}

/**
 * A terminal on a server: xterm.js here, the shell in main (SSH or Proxmox termproxy). The
 * session lives as long as the view: unmounting it (closing the tab) closes the session. A
 * closed session says why and offers to reconnect.
 */
export function TerminalView({ serverId, kind = 'ssh-shell', active = true, onStatus }: TerminalViewProps) {
  const client = useClient();
  const box = useRef<HTMLDivElement>(null);
  const stream = useRef<ConsoleStream | null>(null);
  const [state, setState] = useState<StreamState>({ phase: 'opening' });
  const [generation, setGeneration] = useState(0);
  const [searching, setSearching] = useState(false);
  const handle = useTerminal(box, {
    onData: (d) => stream.current?.write(d),
    onResize: (cols, rows) => stream.current?.resize(cols, rows),
  });
  const statusCb = useRef(onStatus);
  statusCb.current = onStatus;

  useEffect(() => {
    if (!handle) return;
    const { term } = handle;
    if (generation > 0) term.write('\r\n\x1b[2m── reconnecting ──\x1b[0m\r\n');
    handle.fit();
    const s = openConsoleStream(client, (owner) => client.consoles.open({ serverId, kind, owner, cols: term.cols, rows: term.rows }), {
      onData: (bytes, _stream, consumed) => term.write(bytes, consumed),
      onState: (next) => {
        setState(next);
        statusCb.current?.(statusOf(next));
        if (next.phase === 'open') term.focus();
      },
      onGap: () => term.write('\r\n\x1b[33m[some output was lost while the connection to Rackdeck was down]\x1b[0m\r\n'),
    });
    stream.current = s;
    return () => {
      stream.current = null;
      s.close();
    };
  }, [client, handle, serverId, kind, generation]);

  useEffect(() => {
    if (!active || !handle) return;
    handle.fit();
    handle.term.focus();
  }, [active, handle]);

  const ended = state.phase === 'closed' || state.phase === 'failed';
  const reason = state.phase === 'closed' ? state.closed.reason : state.phase === 'failed' ? state.message : '';
  const failedBadly = state.phase === 'failed' || (state.phase === 'closed' && state.closed.error);

  return (
    <div className="console-view" data-testid="terminal-view" data-state={state.phase} data-server-id={serverId}>
      <div className="console-toolbar">
        <span className="console-state" data-state={state.phase}>
          {state.phase === 'opening' ? 'Connecting…' : state.phase === 'open' ? 'Connected' : state.phase === 'closed' ? 'Closed' : 'Not connected'}
        </span>
        <span className="console-spacer" />
        <button type="button" className="btn btn-ghost" disabled={!handle} onClick={() => setSearching((v) => !v)} aria-pressed={searching}>
          Find
        </button>
        <button type="button" className="btn btn-ghost" disabled={!handle} onClick={() => void handle?.copySelection()} title="Copy the selection (Ctrl+Shift+C)">
          Copy
        </button>
        <button type="button" className="btn btn-ghost" disabled={!handle || state.phase !== 'open'} onClick={() => void handle?.pasteClipboard()} title="Paste (Ctrl+Shift+V)">
          Paste
        </button>
        {ended && (
          <button type="button" className="btn btn-primary" data-testid="console-reconnect" onClick={() => setGeneration((g) => g + 1)}>
            Reconnect
          </button>
        )}
      </div>
      {searching && handle && <TerminalSearch search={handle.search} onClose={() => setSearching(false)} />}
      <div className="console-screen">
        <div className="console-term" ref={box} />
        {ended && (
          <div className={`console-banner${failedBadly ? ' is-error' : ''}`} role="status" data-testid="console-closed">
            <span>{reason}</span>
            <button type="button" className="btn" onClick={() => setGeneration((g) => g + 1)}>
              Reconnect
            </button>
          </div>
        )}
      </div>
    </div>
  );
}
