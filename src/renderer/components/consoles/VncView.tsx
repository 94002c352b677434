import type RFB from '@novnc/novnc';
import { useEffect, useRef, useState } from 'react';
import { useClient } from '../../hooks/useClient';
import { openConsoleStream, type StreamState } from './session-stream';
import type { ConsoleStatus } from './TerminalView';
import { relayChannel } from './vnc-channel';
import './consoles.css';

export interface VncViewProps {
  /** A Proxmox QEMU VM's server id. */
  serverId: string;
  active?: boolean;
  onStatus?(status: ConsoleStatus): void;
}

/**
 * A VM's screen: noVNC drawing an RFB stream that main relays from Proxmox's vncwebsocket.
 * noVNC talks to a channel object, not to a socket: main holds the ticket and the pinned
 * certificate, this window never sees either. The session closes with the view.
 */
export function VncView({ serverId, active = true, onStatus }: VncViewProps) {
  const client = useClient();
  const screen = useRef<HTMLDivElement>(null);
  const rfbRef = useRef<RFB | null>(null);
  const [state, setState] = useState<StreamState>({ phase: 'opening' });
  const [drawn, setDrawn] = useState(false);
  const [desktop, setDesktop] = useState('');
  const [scale, setScale] = useState(true);
  const [generation, setGeneration] = useState(0);
  const statusCb = useRef(onStatus);
  statusCb.current = onStatus;
  const scaleRef = useRef(scale);
  scaleRef.current = scale;

  useEffect(() => {
    const target = screen.current;
    if (!target) return;
    let cancelled = false;
    let stop: () => void = () => undefined;
    setDrawn(false);
    void import('@novnc/novnc').then(({ default: RfbClass }) => {
      if (cancelled) return;
      let closeStream: () => void = () => undefined;
      const channel = relayChannel(
        (bytes) => stream.write(bytes),
        () => closeStream(),
      );
      const rfb = new RfbClass(target, channel, { shared: true });
      rfb.scaleViewport = scaleRef.current;
      rfb.background = 'transparent';
      rfb.addEventListener('connect', () => setDrawn(true));
      rfb.addEventListener('desktopname', (e) => setDesktop(String((e as CustomEvent<{ name?: string }>).detail?.name ?? '')));
      rfbRef.current = rfb;
      const stream = openConsoleStream(client, (owner) => client.consoles.open({ serverId, kind: 'vnc', owner }), {
        onData: (bytes, _s, consumed) => {
          channel.receive(bytes);
          consumed();
        },
        onState: (next) => {
          setState(next);
          statusCb.current?.(next.phase);
          if (next.phase === 'open') channel.opened();
          if (next.phase === 'closed') channel.ended(next.closed.reason, next.closed.error);
          if (next.phase === 'failed') channel.ended(next.message, true);
        },
      });
      closeStream = () => stream.close();
      stop = () => {
        stream.close();
        rfbRef.current = null;
        try {
          rfb.disconnect();
        } catch {
          // already disconnected
        }
      };
    });
    return () => {
      cancelled = true;
      stop();
    };
  }, [client, serverId, generation]);

  useEffect(() => {
    if (rfbRef.current) rfbRef.current.scaleViewport = scale;
  }, [scale]);

  useEffect(() => {
    if (active) rfbRef.current?.focus({ preventScroll: true });
  }, [active, drawn]);

  const ended = state.phase === 'closed' || state.phase === 'failed';
  const reason = state.phase === 'closed' ? state.closed.reason : state.phase === 'failed' ? state.message : '';

  return (
    <div className="console-view" data-testid="vnc-view" data-state={state.phase} data-drawn={drawn ? 'true' : undefined} data-server-id={serverId}>
      <div className="console-toolbar">
        <span className="console-state" data-state={state.phase}>
          {state.phase === 'opening' ? 'Connecting…' : state.phase === 'open' ? (drawn ? desktop || 'Connected' : 'Starting…') : state.phase === 'closed' ? 'Closed' : 'Not connected'}
        </span>
        <span className="console-spacer" />
        <button type="button" className="btn btn-ghost" data-testid="vnc-cad" disabled={!drawn || ended} onClick={() => rfbRef.current?.sendCtrlAltDel()}>
          Ctrl-Alt-Del
        </button>
        <label className="console-check">
          <input type="checkbox" checked={scale} onChange={(e) => setScale(e.target.checked)} /> Scale to fit
        </label>
        {ended && (
          <button type="button" className="btn btn-primary" onClick={() => setGeneration((g) => g + 1)}>
            Reconnect
          </button>
        )}
      </div>
      <div className="console-screen">
        <div className="console-vnc" ref={screen} key={generation} />
        {ended && (
          <div className={`console-banner${state.phase === 'failed' || (state.phase === 'closed' && state.closed.error) ? ' is-error' : ''}`} role="status" data-testid="console-closed">
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
