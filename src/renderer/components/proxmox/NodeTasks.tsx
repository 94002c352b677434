import { useEffect, useMemo, useState } from 'react';
import type { ClusterView, TaskInfo, TaskLogLine } from '../../../shared/contract/proxmox';
import { useShallow } from 'zustand/react/shallow';
import { useClient } from '../../hooks/useClient';
import { formatClock, formatDuration, formatTimestamp } from '../../lib/time';
import { useRackdeck } from '../../store';
import './proxmox.css';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

const TASK_WORDS: Record<string, string> = {
  vzdump: 'Backup',
  startall: 'Start all guests',
  stopall: 'Stop all guests',
  hastart: 'HA start',
  hastop: 'HA stop',
  qmigrate: 'VM migrate',
  vzmigrate: 'CT migrate',
  aptupdate: 'Update package lists',
  vncproxy: 'VM console',
  vncshell: 'Node shell',
  termproxy: 'Terminal',
  qmdelsnapshot: 'VM delete snapshot',
  vzdelsnapshot: 'CT delete snapshot',
  qmdestroy: 'VM destroy',
  vzdestroy: 'CT destroy',
};

/** "qmstart" → "VM start", "vzdump" → "Backup": the words Proxmox's own task list uses. */
export function taskLabel(type: string): string {
  const known = TASK_WORDS[type];
  if (known) return known;
  const m = /^(qm|vz)(.+)$/.exec(type);
  return m ? `${m[1] === 'qm' ? 'VM' : 'CT'} ${m[2]}` : type;
}

/**
 * A node's recent tasks, as Proxmox's task list shows them (newest first, with who, how long
 * and how it ended); a click shows the task's log.
 */
export function NodeTasks({ clusters }: { clusters: ClusterView[] }) {
  const client = useClient();
  const nodes = useRackdeck(
    useShallow((s) =>
      Object.values(s.servers)
        .filter((v) => v.kind === 'proxmox-node' && v.proxmox)
        .map((v) => `${v.proxmox!.cluster}\u0000${v.proxmox!.node}\u0000${v.proxmox!.nodeStatus ?? 'unknown'}`)
        .sort(),
    ),
  );
  const choices = useMemo(() => nodes.map((k) => k.split('\u0000') as [string, string, string]), [nodes]);
  const [picked, setPicked] = useState<string | null>(null);
  const current = picked ?? (choices[0] ? `${choices[0][0]}/${choices[0][1]}` : null);
  const [tasks, setTasks] = useState<TaskInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);

  useEffect(() => {
    if (!current) return;
    const [cluster, node] = current.split('/') as [string, string];
    let live = true;
    setTasks(null);
    setError(null);
    setOpen(null);
    const load = () =>
      client.proxmox.nodeTasks({ cluster, node, limit: 50 }).then(
        (t) => live && setTasks(t),
        (e: unknown) => live && setError(message(e)),
      );
    void load();
    const t = setInterval(() => void load(), 5_000);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, [client, current]);

  if (choices.length === 0) return <p className="muted">{clusters.length === 0 ? 'Add a cluster first.' : 'No node discovered yet.'}</p>;
  return (
    <div className="px-tasks" data-testid="node-tasks">
      <div className="segmented" role="radiogroup" aria-label="Node">
        {choices.map(([cluster, node, status]) => (
          <button key={`${cluster}/${node}`} type="button" role="radio" aria-checked={current === `${cluster}/${node}`} data-testid={`tasks-node-${node}`} onClick={() => setPicked(`${cluster}/${node}`)}>
            <span className="px-node-dot" data-status={status} aria-hidden />
            {node}
            {clusters.length > 1 && <span className="muted"> · {cluster}</span>}
          </button>
        ))}
      </div>
      {error && <p className="form-error">{error}</p>}
      {!tasks && !error && <p className="muted">Loading…</p>}
      {tasks && tasks.length === 0 && <p className="muted">No recent task on this node.</p>}
      {tasks && tasks.length > 0 && (
        <table className="px-table" data-testid="task-list">
          <thead>
            <tr>
              <th scope="col">Started</th>
              <th scope="col">Task</th>
              <th scope="col">On</th>
              <th scope="col">User</th>
              <th scope="col">Took</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {tasks.map((t) => (
              <TaskRow key={t.upid} task={t} cluster={current!.split('/')[0]!} open={open === t.upid} onToggle={() => setOpen(open === t.upid ? null : t.upid)} />
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function TaskRow({ task: t, cluster, open, onToggle }: { task: TaskInfo; cluster: string; open: boolean; onToggle: () => void }) {
  const tone = t.status === 'running' ? 'busy' : t.outcome === 'ok' ? 'on' : t.outcome === 'warnings' ? 'warn' : 'failed';
  return (
    <>
      <tr className="px-task-row" data-open={open || undefined} data-testid="task-row" onClick={onToggle}>
        <td title={formatTimestamp(t.starttime * 1000)}>{formatClock(t.starttime * 1000)}</td>
        <td>
          <button type="button" className="link" aria-expanded={open} onClick={(e) => (e.stopPropagation(), onToggle())}>
            {taskLabel(t.type)}
          </button>
        </td>
        <td className="mono">{t.id || '—'}</td>
        <td className="muted">{t.user}</td>
        <td className="muted">{t.endtime ? formatDuration((t.endtime - t.starttime) * 1000) : 'running'}</td>
        <td>
          <span className="px-status" data-tone={tone}>
            {t.status === 'running' ? 'running' : t.exitstatus ?? t.outcome}
          </span>
        </td>
      </tr>
      {open && (
        <tr className="px-log-row">
          <td colSpan={6}>
            <TaskLog upid={t.upid} cluster={cluster} />
          </td>
        </tr>
      )}
    </>
  );
}

function TaskLog({ upid, cluster }: { upid: string; cluster: string }) {
  const client = useClient();
  const [log, setLog] = useState<TaskLogLine[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    client.proxmox.taskLog({ upid, cluster }).then(
      (l) => live && setLog(l),
      (e: unknown) => live && setError(message(e)),
    );
    return () => {
      live = false;
    };
  }, [client, upid, cluster]);
  if (error) return <p className="form-error">{error}</p>;
  return (
    <pre className="px-task-log" data-testid="node-task-log" tabIndex={0}>
      {log === null ? 'Loading the log…' : log.length === 0 ? '(empty log)' : log.map((l) => l.t).join('\n')}
    </pre>
  );
}
