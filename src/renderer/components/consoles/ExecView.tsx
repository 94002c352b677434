import { useEffect, useRef, useState } from 'react';
import { commandProblem, logFileProblem, serviceNameProblem, type ExecSpec } from '../../../shared/contract/consoles';
import { useClient } from '../../hooks/useClient';
import { openConsoleStream, type ConsoleStream, type StreamState } from './session-stream';
import type { ConsoleStatus } from './TerminalView';
import { useTerminal } from './use-terminal';
import './consoles.css';

export interface ExecViewProps {
  serverId: string;
  /** What the form starts with (e.g. a service picked from a list); `autoRun` runs it at once. */
  initial?: ExecSpec;
  autoRun?: boolean;
  active?: boolean;
  onStatus?(status: ConsoleStatus): void;
}

type Mode = ExecSpec['type'];

const LABELS: Record<Mode, string> = { command: 'Command', journal: 'Service log', tail: 'Log file' };
const PLACEHOLDERS: Record<Mode, string> = { command: 'df -h', journal: 'nginx', tail: '/var/log/syslog' };

function specOf(mode: Mode, value: string, lines: number, follow: boolean): ExecSpec {
  if (mode === 'command') return { type: 'command', command: value };
  if (mode === 'journal') return { type: 'journal', service: value.trim(), lines, follow };
  return { type: 'tail', file: value.trim(), lines, follow };
}

function problemOf(mode: Mode, value: string): string | undefined {
  if (mode === 'command') return commandProblem(value);
  if (mode === 'journal') return serviceNameProblem(value.trim());
  return logFileProblem(value.trim());
}

/**
 * Runs a command, follows a service's journal or tails a log file on a server, with the
 * output streaming into a read-only terminal. Names are checked here as they are typed (the
 * same rules main enforces); the stream stops when the view closes or Stop is pressed.
 */
export function ExecView({ serverId, initial, autoRun = false, active = true, onStatus }: ExecViewProps) {
  const client = useClient();
  const box = useRef<HTMLDivElement>(null);
  const handle = useTerminal(box, { readOnly: true, scrollback: 20_000 });
  const stream = useRef<ConsoleStream | null>(null);
  const [mode, setMode] = useState<Mode>(initial?.type ?? 'command');
  const [value, setValue] = useState(initial ? (initial.type === 'command' ? initial.command : initial.type === 'journal' ? initial.service : initial.file) : '');
  const [lines, setLines] = useState(initial && initial.type !== 'command' ? (initial.lines ?? 100) : 100);
  const [follow, setFollow] = useState(initial && initial.type !== 'command' ? (initial.follow ?? true) : true);
  const [state, setState] = useState<StreamState | null>(null);
  const [touched, setTouched] = useState(false);
  const statusCb = useRef(onStatus);
  statusCb.current = onStatus;
  const problem = problemOf(mode, value);
  const running = state?.phase === 'opening' || state?.phase === 'open';

  const run = () => {
    if (!handle || problem) return setTouched(true);
    stream.current?.close();
    const { term } = handle;
    term.reset();
    const spec = specOf(mode, value, lines, follow);
    stream.current = openConsoleStream(client, (owner) => client.consoles.exec({ serverId, owner, spec }), {
      // Standard error shows in the theme's red; each batch is whole, so the colour never leaks.
      onData: (bytes, which, consumed) => {
        if (which === 'stderr') {
          term.write('\x1b[31m');
          term.write(bytes);
          term.write('\x1b[0m', consumed);
        } else term.write(bytes, consumed);
      },
      onState: (next) => {
        setState(next);
        statusCb.current?.(next.phase);
      },
    });
  };
  const stop = () => stream.current?.close();

  // The stream stops when the view goes away.
  useEffect(() => () => stream.current?.close(), []);
  useEffect(() => {
    // Once, when the terminal is ready.
    if (autoRun && handle && !state) run();
  }, [handle]);
  useEffect(() => {
    if (active) handle?.fit();
  }, [active, handle]);

  const closed = state?.phase === 'closed' ? state.closed : undefined;
  return (
    <div className="console-view" data-testid="exec-view" data-state={state?.phase ?? 'idle'} data-server-id={serverId}>
      <form
        className="console-toolbar exec-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (running) stop();
          else run();
        }}
      >
        <select aria-label="What to run" value={mode} disabled={running} onChange={(e) => setMode(e.target.value as Mode)}>
          {(Object.keys(LABELS) as Mode[]).map((m) => (
            <option key={m} value={m}>
              {LABELS[m]}
            </option>
          ))}
        </select>
        <input
          className="exec-input mono"
          aria-label={LABELS[mode]}
          aria-invalid={touched && problem ? true : undefined}
          placeholder={PLACEHOLDERS[mode]}
          value={value}
          disabled={running}
          onChange={(e) => setValue(e.target.value)}
          onBlur={() => setTouched(true)}
        />
        {mode !== 'command' && (
          <>
            <label className="console-check">
              Lines <input type="number" min={0} max={10000} value={lines} disabled={running} onChange={(e) => setLines(Math.max(0, Math.min(10_000, Number(e.target.value) || 0)))} />
            </label>
            <label className="console-check">
              <input type="checkbox" checked={follow} disabled={running} onChange={(e) => setFollow(e.target.checked)} /> Follow
            </label>
          </>
        )}
        <button type="submit" className={running ? 'btn' : 'btn btn-primary'} disabled={!running && (!handle || Boolean(problem))} data-testid="exec-run">
          {running ? 'Stop' : 'Run'}
        </button>
      </form>
      {touched && problem && value !== '' && (
        <p className="console-field-error" role="alert">
          {problem}
        </p>
      )}
      <div className="console-screen">
        <div className="console-term" ref={box} />
      </div>
      <p className="console-foot" data-testid="exec-status">
        {state?.phase === 'failed' ? state.message : closed ? closed.reason : running ? 'Running…' : ' '}
      </p>
    </div>
  );
}
