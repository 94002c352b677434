import { useEffect, useRef } from 'react';
import type { ProxmoxTask } from '../../../shared/contract/proxmox';
import { POWER_LABELS } from '../../../shared/power';
import { taskSummary } from './guest-labels';
import { useTask } from './useTask';
import './proxmox.css';

/**
 * A Proxmox task as it runs: its status, its log as the node writes it, and once it ended,
 * the state read back from the guest (not the one the action was meant to reach).
 */
export function TaskProgress(props: { upid: string; initial?: ProxmoxTask; onClose?: () => void; compact?: boolean }) {
  const { task, error } = useTask(props.upid, props.initial);
  const logRef = useRef<HTMLPreElement>(null);
  const lines = task?.log.length ?? 0;
  useEffect(() => {
    const el = logRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [lines]);

  const tone = !task ? 'busy' : task.error ? 'warn' : task.status === 'running' ? 'busy' : task.outcome === 'error' ? 'failed' : task.outcome === 'warnings' ? 'warn' : 'on';
  return (
    <section className="px-task" data-tone={tone} data-testid="task-progress" aria-live="polite">
      <header className="px-task-head">
        <span className="px-task-dot" aria-hidden />
        <strong data-testid="task-summary">{task ? taskSummary(task) : 'Starting…'}</strong>
        {props.onClose && task?.status === 'stopped' && (
          <button type="button" className="btn btn-ghost" onClick={props.onClose}>
            Close
          </button>
        )}
      </header>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {task?.confirmed && (
        <p className="px-task-confirmed" data-testid="task-confirmed">
          Now {POWER_LABELS[task.confirmed.power]} <span className="muted">(as the guest reports: {task.confirmed.qmpstatus && task.confirmed.qmpstatus !== task.confirmed.status ? `${task.confirmed.status}, ${task.confirmed.qmpstatus}` : task.confirmed.status})</span>
        </p>
      )}
      {!props.compact && (
        <pre className="px-task-log" ref={logRef} data-testid="task-log" tabIndex={0} aria-label="Task log">
          {task && task.log.length > 0 ? task.log.map((l) => l.t).join('\n') : 'Waiting for the first log line…'}
        </pre>
      )}
      <p className="px-task-id muted" title={props.upid}>
        {task?.type ?? 'task'} on {task?.node ?? props.upid.split(':')[1]}
      </p>
    </section>
  );
}
