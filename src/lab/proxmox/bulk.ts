/**
 * PVE 9's bulk guest actions (/cluster/bulk-action/guest/{start,shutdown,suspend}), after
 * pve-manager's PVE/API2/Cluster/BulkAction/Guest.pm: one call answers one UPID of a
 * bulk-start / bulk-shutdown / bulk-suspend worker on the node that was called, and that worker
 * drives each guest through the ordinary per-guest action (so HA guests go through HA, paused
 * VMs are resumed, locked guests fail), at most max-workers at a time, logging as the real one
 * does and ending with TASK WARNINGS for skipped guests or TASK ERROR naming those that failed.
 */
import { powerAction, type PowerAction } from './actions';
import type { Principal } from './auth';
import type { ClusterState } from './cluster-state';
import { ApiError } from './errors';
import type { Guest, NodeRecord } from './model';
import { ARRAY_SEPARATOR } from './schema-check';
import type { TaskRecord } from './tasks';

export type BulkKind = 'start' | 'shutdown' | 'suspend';

interface BulkContext {
  state: ClusterState;
  local: NodeRecord;
  principal: Principal;
  params: Readonly<Record<string, string>>;
}

/** One guest's step: an action to run with its parameters, or a reason to skip it. */
type Step = { action: PowerAction; params: Record<string, string> } | { skip: string };

const label = (g: Guest): string => (g.type === 'qemu' ? 'VM' : 'CT');

function requestedVmids(params: Readonly<Record<string, string>>): number[] {
  return params.vms === undefined ? [] : params.vms.split(ARRAY_SEPARATOR).map(Number);
}

/** check_guest_permissions: the privilege on each listed guest, or on "/" when none are listed. */
function checkPermissions(principal: Principal, vmids: readonly number[], privilege: string): void {
  if (principal.privileges.has(privilege)) return;
  const path = vmids.length > 0 ? `/vms/${vmids[0]}` : '/';
  throw new ApiError(403, `Permission check failed (${path}, ${privilege})\n`);
}

/** What the worker does with a guest, reading its status as the real one does through status/current. */
function stepFor(kind: BulkKind, g: Guest, params: Readonly<Record<string, string>>): Step {
  const running = g.status === 'running';
  // status/current carries qmpstatus for VMs only; a running container has none, and the real
  // worker then "resumes" it.
  const qmp = g.type === 'qemu' ? (running ? (g.paused ? 'paused' : 'running') : 'stopped') : undefined;
  if (kind === 'start') {
    if (running && qmp !== undefined && qmp !== 'paused') return { skip: `Skipping ${label(g)} ${g.vmid}, already running.` };
    const step: Step = { action: running ? 'resume' : 'start', params: {} };
    if (!running && g.type === 'qemu' && params.timeout !== undefined) step.params.timeout = params.timeout;
    return step;
  }
  if (kind === 'shutdown') {
    if (!running) return { skip: `Skipping ${label(g)} ${g.vmid}, not running.` };
    // The real code tests the parameter as given: without force-stop a paused VM is skipped.
    if (qmp === 'paused' && params['force-stop'] !== '1') return { skip: `Skipping ${label(g)} ${g.vmid}, resume paused VM before shutdown.` };
    return { action: 'shutdown', params: { forceStop: params['force-stop'] ?? '1', timeout: params.timeout ?? '180' } };
  }
  if (g.type !== 'qemu') return { skip: `skipping ${g.vmid}, only VMs can be suspended` };
  if (!running) return { skip: `Skipping VM ${g.vmid}, not running.` };
  const step: Step = { action: 'suspend', params: { todisk: params['to-disk'] ?? '0' } };
  if (params['to-disk'] === '1' && params.statestorage !== undefined) step.params.statestorage = params.statestorage;
  return step;
}

const VERB: Readonly<Record<BulkKind, { title: string; each: string; failed: string }>> = {
  start: { title: 'Starting', each: 'Starting', failed: 'Some guests failed to start: ' },
  shutdown: { title: 'Shutting down', each: 'Shutting down', failed: 'Some guests failed to shutdown ' },
  suspend: { title: 'Suspending', each: 'Suspending', failed: 'Some guests failed to suspend ' },
};

export function runBulkAction(kind: BulkKind, ctx: BulkContext): string {
  const { state, principal, params } = ctx;
  const vmids = requestedVmids(params);
  checkPermissions(principal, vmids, 'VM.PowerMgmt');
  if (kind === 'suspend' && params['to-disk'] === '1') checkPermissions(principal, vmids, 'VM.Config.Disk');

  const wanted = new Set(vmids);
  // get_start_stop_list: the listed guests that exist (all of them when none are listed), no templates.
  const guests = state.sortedGuests().filter((g) => !g.template && (wanted.size === 0 || wanted.has(g.vmid)));
  const task = state.tasks.start({ node: ctx.local.name, type: `bulk-${kind}`, id: '', user: principal.userid, durationMs: 0, held: true });
  const verb = VERB[kind];
  const list = vmids.length > 0 ? `guests: ${vmids.join(', ')}` : 'all guests';
  task.log.push(`${verb.title} ${list}`);

  const maxWorkers = Math.max(1, Number(params['max-workers'] ?? params.maxworkers ?? 4));
  const queue = [...guests];
  const failed: number[] = [];
  let warnings = 0;
  let active = 0;
  const warn = (line: string): void => {
    warnings++;
    task.log.push(`WARN: ${line}`);
  };

  const finishIfDone = (): void => {
    if (active > 0 || queue.length > 0 || task.status !== 'running') return;
    const error = failed.length > 0 ? `${verb.failed}${failed.join(', ')}` : undefined;
    state.tasks.end(task.upid, error, warnings);
  };

  const next = (): void => {
    while (active < maxWorkers && queue.length > 0 && task.status === 'running') {
      const g = queue.shift();
      if (!g || !state.guests.has(g.vmid)) continue;
      const step = stepFor(kind, g, params);
      if ('skip' in step) {
        warn(step.skip);
        continue;
      }
      const node = state.findNode(g.node);
      if (!node || !state.isOnline(node)) {
        // The worker's API call to a node that is down fails like pveproxy's proxy does.
        warn('595 No route to host');
        failed.push(g.vmid);
        continue;
      }
      task.log.push(kind === 'shutdown' ? `Shutting down ${label(g)} ${g.vmid} (Timeout = ${step.params.timeout ?? '180'} seconds)` : `${verb.each} ${label(g)} ${g.vmid}`);
      let upid: string;
      try {
        upid = powerAction(step.action, { state, guest: g, principal, params: step.params });
      } catch (err) {
        warn(err instanceof Error ? err.message.replace(/\n$/, '') : String(err));
        failed.push(g.vmid);
        continue;
      }
      active++;
      state.tasks.onEnd(upid, (child: TaskRecord) => {
        active--;
        if (child.exitstatus !== 'OK' && !child.exitstatus?.startsWith('WARNINGS')) {
          failed.push(g.vmid);
          warn(`${kind === 'start' ? 'Starting' : 'Stopping'} ${label(g)} ${g.vmid} failed: ${child.exitstatus ?? 'unknown'}`);
        }
        next();
      });
    }
    finishIfDone();
  };
  next();
  return task.upid;
}
