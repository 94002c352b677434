/**
 * The HA manager, as far as a client sees it: resources ("vm:100") with a requested state, and
 * a service state that follows it. Changing the request (PUT /cluster/ha/resources/{sid}, or a
 * status/start|stop|shutdown on a managed guest, which becomes a hastart/hastop task) makes the
 * local resource manager start or shut the guest down with its own task as root@pam, and the
 * service state (hastate in /cluster/resources) moves starting → started or request_stop →
 * stopped. An "ignored" resource is left alone and its guest is driven directly, as
 * pve-ha-manager's service_is_ha_managed treats it as unmanaged.
 */
import type { Principal } from './auth';
import type { ClusterState } from './cluster-state';
import { failure } from './errors';
import type { Guest, GuestHa, HaRequest } from './model';
import { markStarted, markStopped } from './power-state';

export function haSid(g: Guest): string {
  return `${g.type === 'qemu' ? 'vm' : 'ct'}:${g.vmid}`;
}

/** Managed by HA: a resource whose state is not "ignored". */
export function haManaged(g: Guest): boolean {
  return g.ha !== undefined && g.ha.request !== 'ignored';
}

/** The service state a settled request ends in. */
function settled(request: HaRequest): string {
  return request === 'started' ? 'started' : request;
}

/** "enabled" is an alias of started in resources.cfg. */
export function haRequestOf(state: string | undefined): HaRequest {
  if (state === undefined || state === 'enabled') return 'started';
  if (state === 'stopped' || state === 'disabled' || state === 'ignored') return state;
  return 'started';
}

/**
 * Resolves an HA resource id ("vm:100", "ct:101", or a bare VMID) to its guest, with
 * pve-ha-manager's refusals.
 */
export function resolveSid(state: ClusterState, sid: string, type?: string): Guest {
  const m = /^(?:(vm|ct):)?(\d+)$/.exec(sid);
  if (!m?.[2]) throw failure(`unable to parse service id '${sid}'`);
  const vmid = Number(m[2]);
  const g = state.guests.get(vmid);
  const wantType = m[1] ?? (type === 'ct' || type === 'vm' ? type : g?.type === 'lxc' ? 'ct' : 'vm');
  if (!g || (wantType === 'vm') !== (g.type === 'qemu')) throw failure(`resource '${wantType}:${vmid}' does not exist in cluster`);
  return g;
}

export function addHaResource(state: ClusterState, g: Guest, opts: Partial<Omit<GuestHa, 'service'>>): void {
  if (g.ha) throw failure(`resource ID '${haSid(g)}' already defined`);
  const request = opts.request ?? 'started';
  g.ha = {
    request,
    service: request === 'ignored' ? 'ignored' : g.status === 'running' ? 'started' : 'stopped',
    maxRestart: opts.maxRestart ?? 1,
    maxRelocate: opts.maxRelocate ?? 1,
    failback: opts.failback ?? true,
    ...(opts.comment !== undefined ? { comment: opts.comment } : {}),
    ...(opts.group !== undefined ? { group: opts.group } : {}),
  };
  requestHaState(state, g, request);
}

export function removeHaResource(g: Guest): void {
  if (!g.ha) throw failure(`cannot delete service '${haSid(g)}', not HA managed!`);
  g.ha = undefined;
}

/**
 * Sets the requested state and lets the resource manager act: a start or shutdown task by
 * root@pam when the guest is not already where it should be. Its duration includes the CRM's
 * reaction time, so waiting for tasks also waits for HA.
 */
export function requestHaState(state: ClusterState, g: Guest, request: HaRequest): void {
  const ha = g.ha;
  if (!ha) return;
  ha.request = request;
  if (request === 'ignored') {
    ha.service = 'ignored';
    return;
  }
  const wantRunning = request === 'started';
  if (wantRunning === (g.status === 'running')) {
    ha.service = settled(request);
    return;
  }
  ha.service = wantRunning ? 'starting' : 'request_stop';
  const node = state.findNode(g.node);
  // With its node down the LRM cannot act; the service waits (a real cluster would fence).
  if (!node || !state.isOnline(node)) return;
  const prefix = g.type === 'qemu' ? 'qm' : 'vz';
  state.startTask(
    {
      node: g.node,
      type: wantRunning ? `${prefix}start` : `${prefix}shutdown`,
      id: String(g.vmid),
      user: 'root@pam',
      durationMs: state.taskDuration(1.2),
      finish: () => {
        if (wantRunning) markStarted(state, g);
        else markStopped(g);
        // A newer request may have come in meanwhile; only a matching one settles here.
        if (g.ha && g.ha.request === request) g.ha.service = settled(request);
      },
    },
    g.vmid,
  );
}

/** status/start|stop|shutdown on a managed guest: a hastart/hastop task that sets the request. */
export function haPowerTask(state: ClusterState, g: Guest, principal: Principal, want: 'started' | 'stopped'): string {
  const label = g.type === 'qemu' ? 'VM' : 'CT';
  return state.startTask(
    {
      node: g.node,
      type: want === 'started' ? 'hastart' : 'hastop',
      id: String(g.vmid),
      user: principal.userid,
      durationMs: state.taskDuration(0.2),
      log: [`Requesting HA ${want === 'started' ? 'start' : 'stop'} for ${label} ${g.vmid}`],
      finish: () => {
        if (g.ha && state.guests.has(g.vmid)) requestHaState(state, g, want);
      },
    },
    g.vmid,
  ).upid;
}

/** An entry of GET /cluster/ha/resources and GET /cluster/ha/resources/{sid}. */
export function haResourceEntry(state: ClusterState, g: Guest): Record<string, unknown> {
  const ha = g.ha;
  const entry: Record<string, unknown> = {
    sid: haSid(g),
    type: g.type === 'qemu' ? 'vm' : 'ct',
    state: ha?.request ?? 'started',
    digest: state.digest(g),
    max_restart: ha?.maxRestart ?? 1,
    max_relocate: ha?.maxRelocate ?? 1,
  };
  if (state.profile.major === 9) entry.failback = ha?.failback === false ? 0 : 1;
  if (ha?.comment) entry.comment = ha.comment;
  if (ha?.group) entry.group = ha.group;
  return entry;
}

/** GET /cluster/ha/status/current: quorum, the CRM master, one LRM per node, one row per service. */
export function haStatus(state: ClusterState): Record<string, unknown>[] {
  const now = state.clock.nowSec();
  const online = state.nodes.filter((n) => state.isOnline(n));
  const master = online[0] ?? state.nodes[0];
  const managed = state.sortedGuests().filter((g) => g.ha);
  const rows: Record<string, unknown>[] = [
    { id: 'quorum', type: 'quorum', node: master?.name ?? '', status: state.quorate() ? 'OK' : 'No quorum on node', quorate: state.quorate() ? 1 : 0 },
  ];
  if (managed.length > 0 && master) rows.push({ id: 'master', type: 'master', node: master.name, status: `${master.name} (active, ${new Date(now * 1000).toUTCString()})`, timestamp: now });
  for (const node of state.nodes) {
    const active = managed.some((g) => g.node === node.name);
    const mode = state.isOnline(node) ? (active ? 'active' : 'idle') : 'old timestamp - dead?';
    rows.push({ id: `lrm:${node.name}`, type: 'lrm', node: node.name, status: `${node.name} (${mode}, ${new Date(now * 1000).toUTCString()})`, timestamp: now });
  }
  for (const g of managed) {
    const ha = g.ha;
    if (!ha) continue;
    rows.push({
      id: `service:${haSid(g)}`,
      type: 'service',
      sid: haSid(g),
      node: g.node,
      state: ha.service,
      request_state: ha.request,
      crm_state: ha.service,
      max_restart: ha.maxRestart,
      max_relocate: ha.maxRelocate,
      status: `${haSid(g)} (${g.node}, ${ha.service})`,
    });
  }
  return rows;
}
