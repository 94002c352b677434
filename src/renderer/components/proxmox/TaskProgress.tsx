import { useEffect, useRef } from 'react';
import type { ProxmoxTask } from '../../../shared/contract/proxmox';
import { POWER_LABELS } from '../../../shared/power';
import { useTimeText } from '../../hooks/useNow';
import { formatDuration } from '../../lib/time';
import { Icon } from '../Icon';
import { taskSummary } from './guest-labels';
import { useTask } from './useTask';
import './proxmox.css';

function toneOf(task: ProxmoxTask | null): 'busy' | 'warn' | 'failed' | 'on' {
  if (!task || task.status === 'running') return task?.error ? 'warn' : 'busy';
  if (task.error || task.outcome === 'warnings') return 'warn';
  return task.outcome === 'error' ? 'failed' : 'on';
}

/**
 * A Proxmox task as it runs: its status and elapsed time, its log as the node writes it, and
 * once it ended, the state read back from the guest (not the one the action was meant to reach).
 * `compact` is the card's one line, without the log.
 */
export function TaskProgress(props: { upid: string; initial?: ProxmoxTask; onClose?: () => void; compact?: boolean }) {
  const { task, error } = useTask(props.upid, props.initial);
  const logRef = useRef<HTMLPreElement>(null);
  const lines = task?.log.length ?? 0;
  useEffect(() => {
    const el = logRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [lines]);
  const elapsed = useTimeText((now) => (task ? formatDuration((task.endedAt ?? now) - task.startedAt) : ''));
  const tone = toneOf(task);
  const ended = task?.status === 'stopped';
  const confirmed = task?.confirmed;
  // On a card a task that went well says nothing the card's state does not already say.
  if (props.compact && ended && tone === 'on') return null;

  return (
    <section className="px-task" data-tone={tone} data-status={task?.status ?? 'running'} data-testid="task-progress" data-compact={props.compact || undefined} aria-live="polite">
      <header className="px-task-head">
        <span className="px-task-dot" aria-hidden />
        <strong data-testid="task-summary">{task ? taskSummary(task) : 'Starting…'}</strong>
        <span className="px-task-time muted" title={ended ? 'How long it took' : 'Running for'}>
          {elapsed}
        </span>
        {props.onClose && ended && (
          <button type="button" className="icon-btn px-task-close" aria-label="Dismiss task" onClick={props.onClose}>
            <Icon name="close" size={14} />
          </button>
        )}
      </header>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {confirmed && (
        <p className="px-task-confirmed" data-testid="task-confirmed">
          Now <strong>{POWER_LABELS[confirmed.power]}</strong>
          {!props.compact && (
            <span className="muted"> · as the guest reports: {confirmed.qmpstatus && confirmed.qmpstatus !== confirmed.status ? `${confirmed.status}, ${confirmed.qmpstatus}` : confirmed.status}</span>
          )}
        </p>
      )}
      {props.compact && task?.outcome === 'error' && task.log.length > 0 && (
        <p className="px-task-lastline" title={task.log.map((l) => l.t).join('\n')}>
          {task.log[task.log.length - 1]?.t}
        </p>
      )}
      {!props.compact && (
        <>
          <pre className="px-task-log" ref={logRef} data-testid="task-log" tabIndex={0} aria-label="Task log">
            {task && task.log.length > 0 ? task.log.map((l) => l.t).join('\n') : 'Waiting for the first log line…'}
          </pre>
          <p className="px-task-id muted" title={props.upid}>
            {task?.type ?? 'task'} on {task?.node ?? props.upid.split(':')[1]}
          </p>
        </>
      )}
    </section>
  );
}
