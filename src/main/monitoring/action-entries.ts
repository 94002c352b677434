import type { ProxmoxTask } from '../../shared/contract/proxmox';
import type { ActionFace, ActionInput, ActionResult } from '../../shared/metrics';
import type { CallContext } from '../ipc/router';
import type { PowerActionEvent } from '../power/controller';

/**
 * What the action log says of a power command or a Proxmox task (pure). A command gets two
 * entries, one when it starts (who asked, from which face) and one when it ends (its result),
 * so an action still running, or cut short by a crash, is in the log too.
 */
export function faceOf(call: CallContext | undefined, fromEngine = false): ActionFace {
  if (fromEngine || !call) return 'engine';
  switch (call.face) {
    case 'desktop':
      return 'desktop';
    case 'web':
      return 'web';
    case 'cli':
    case 'test':
      return 'cli';
  }
}

const POWER_RESULT: Record<NonNullable<PowerActionEvent['outcome']>, ActionResult> = { reached: 'ok', failed: 'failed', timeout: 'timeout' };

export function powerEntry(e: PowerActionEvent, server: { name?: string } | undefined, face: ActionFace): ActionInput {
  const result: ActionResult = e.phase === 'started' ? 'started' : POWER_RESULT[e.outcome ?? 'failed'];
  return {
    at: e.at,
    kind: 'power',
    action: e.action,
    serverId: e.serverId,
    ...(server?.name ? { serverName: clip(server.name, 200) } : {}),
    face,
    result,
    ...(e.detail ? { detail: clip(e.detail, 2000) } : e.fromReconcile && e.phase === 'started' ? { detail: 'to reach the desired state' } : {}),
  };
}

export function taskResult(task: ProxmoxTask): ActionResult {
  if (task.status === 'running') return task.error ? 'failed' : 'started';
  return task.outcome === 'ok' || task.outcome === 'warnings' ? 'ok' : 'failed';
}

export function taskEntry(task: ProxmoxTask, serverName: string | undefined, face: ActionFace, at: number): ActionInput {
  const result = taskResult(task);
  const detail = [task.type, result === 'started' ? undefined : (task.exitstatus ?? task.error), task.upid].filter(Boolean).join(' · ');
  return {
    at,
    kind: 'task',
    action: clip(task.action, 200),
    ...(task.serverId ? { serverId: task.serverId } : {}),
    ...(serverName ? { serverName: clip(serverName, 200) } : {}),
    face,
    result,
    ...(detail ? { detail: clip(detail, 2000) } : {}),
  };
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
