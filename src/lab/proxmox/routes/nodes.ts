/** /nodes: node list, node status and RRD, and the node's task list, status and log. */
import { paramError } from '../errors';
import { nodeListEntry, nodeStatus } from '../node-views';
import { Paged, type RouteContext, type Router } from '../router';
import { nodeRrd } from '../rrd';
import { taskListEntry, taskStatusEntry, type TaskRecord } from '../tasks';
import { decodeUpid } from '../upid';

function requireTask(ctx: RouteContext): TaskRecord {
  const upid = ctx.params.upid ?? '';
  if (!decodeUpid(upid)) throw paramError({ upid: 'unable to parse worker upid' });
  const task = ctx.state.tasks.get(upid);
  if (!task || task.node !== ctx.params.node) throw paramError({ upid: 'no such task' });
  return task;
}

const num = (v: string | undefined, fallback: number): number => (v === undefined ? fallback : Number(v));

function statusClass(task: TaskRecord): 'ok' | 'error' | 'warning' | 'unknown' {
  const s = task.exitstatus;
  if (s === 'OK') return 'ok';
  if (s === undefined) return 'unknown';
  if (s.startsWith('WARNINGS')) return 'warning';
  return s === 'unknown' ? 'unknown' : 'error';
}

export function registerNodes(router: Router): void {
  router.add('GET /nodes', ({ state, services }) => {
    const t = state.clock.now();
    return state.nodes.map((n) => nodeListEntry(state, n, t, services.fingerprint()));
  });

  router.add('GET /nodes/{node}', () =>
    ['qemu', 'lxc', 'status', 'tasks', 'rrd', 'rrddata', 'storage', 'termproxy', 'vncwebsocket', 'version', 'network', 'syslog', 'subscription', 'apt'].map(
      (name) => ({ name }),
    ),
  );

  router.add('GET /nodes/{node}/status', ({ state, params }) =>
    nodeStatus(state, state.requireNode(params.node ?? ''), state.clock.now()),
  );

  router.add('GET /nodes/{node}/version', ({ state }) => ({ ...state.profile.version }));

  router.add('GET /nodes/{node}/rrddata', ({ state, params }) =>
    nodeRrd(state, state.requireNode(params.node ?? ''), params.timeframe ?? 'hour', params.cf ?? 'AVERAGE'),
  );

  router.add('GET /nodes/{node}/tasks', ({ state, params }) => {
    const source = params.source ?? 'archive';
    const vmid = params.vmid;
    const statuses = params.statusfilter?.split(/[,;\s]+/).filter(Boolean);
    const since = params.since === undefined ? undefined : Number(params.since);
    const until = params.until === undefined ? undefined : Number(params.until);
    const matching = state.tasks.list(
      (task) =>
        task.node === params.node &&
        (source === 'all' || (source === 'active') === (task.status === 'running')) &&
        (params.errors !== '1' || (task.status === 'stopped' && task.exitstatus !== 'OK')) &&
        (params.typefilter === undefined || task.type === params.typefilter) &&
        (params.userfilter === undefined || task.user.includes(params.userfilter)) &&
        (vmid === undefined || task.id === vmid) &&
        (statuses === undefined || statuses.includes(statusClass(task))) &&
        (since === undefined || task.starttime >= since) &&
        (until === undefined || task.starttime <= until),
    );
    const start = num(params.start, 0);
    const limit = num(params.limit, 50);
    const page = matching.slice(start, limit > 0 ? start + limit : undefined).map(taskListEntry);
    return new Paged(page, matching.length);
  });

  router.add('GET /nodes/{node}/tasks/{upid}', (ctx) => {
    requireTask(ctx);
    return [{ name: 'log' }, { name: 'status' }];
  });

  router.add('DELETE /nodes/{node}/tasks/{upid}', (ctx) => {
    const task = requireTask(ctx);
    ctx.state.tasks.end(task.upid, 'interrupted by signal');
    return null;
  });

  router.add('GET /nodes/{node}/tasks/{upid}/status', (ctx) => taskStatusEntry(requireTask(ctx)));

  router.add('GET /nodes/{node}/tasks/{upid}/log', (ctx) => {
    const task = requireTask(ctx);
    const start = num(ctx.params.start, 0);
    const limit = num(ctx.params.limit, 50);
    const lines = task.log.length > 0 ? task.log : ['no content'];
    const slice = lines.slice(start, limit > 0 ? start + limit : undefined);
    return new Paged(
      slice.map((t, i) => ({ n: start + i + 1, t })),
      lines.length,
    );
  });
}
