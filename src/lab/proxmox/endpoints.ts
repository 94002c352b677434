/**
 * Every API method the lab serves, as "METHOD /schema/path". The schema subsets shipped with the
 * lab (pve-api-schema-9.ts, pve-api-schema-8.ts) are cut from the official schemas with exactly
 * these lists, and the router refuses to register a handler that is not on them, so they cannot
 * drift apart. A method only PVE 9 has is answered 501 by the 8 profile, as a real 8.4 node does.
 */
import type { PveMajor } from './profile';

const GUEST_METHODS = [
  'GET',
  'GET /{vmid}',
  'DELETE /{vmid}',
  'GET /{vmid}/config',
  'GET /{vmid}/status',
  'GET /{vmid}/status/current',
  'POST /{vmid}/status/start',
  'POST /{vmid}/status/stop',
  'POST /{vmid}/status/shutdown',
  'POST /{vmid}/status/reboot',
  'POST /{vmid}/status/suspend',
  'POST /{vmid}/status/resume',
  'GET /{vmid}/rrddata',
  'GET /{vmid}/snapshot',
  'POST /{vmid}/snapshot',
  'GET /{vmid}/snapshot/{snapname}',
  'DELETE /{vmid}/snapshot/{snapname}',
  'GET /{vmid}/snapshot/{snapname}/config',
  'POST /{vmid}/snapshot/{snapname}/rollback',
  'POST /{vmid}/termproxy',
  'POST /{vmid}/vncproxy',
  'GET /{vmid}/vncwebsocket',
] as const;

function guestEndpoints(type: 'qemu' | 'lxc'): string[] {
  return GUEST_METHODS.map((entry) => {
    const [method, rest = ''] = entry.split(' ');
    return `${method} /nodes/{node}/${type}${rest}`;
  });
}

const COMMON_ENDPOINTS: readonly string[] = [
  'GET /version',
  'GET /access',
  'GET /access/ticket',
  'POST /access/ticket',
  'GET /access/roles',
  'POST /access/roles',
  'GET /access/roles/{roleid}',
  'PUT /access/roles/{roleid}',
  'DELETE /access/roles/{roleid}',
  'GET /access/acl',
  'PUT /access/acl',
  'GET /cluster',
  'GET /cluster/ha',
  'GET /cluster/ha/resources',
  'POST /cluster/ha/resources',
  'GET /cluster/ha/resources/{sid}',
  'PUT /cluster/ha/resources/{sid}',
  'DELETE /cluster/ha/resources/{sid}',
  'GET /cluster/ha/status/current',
  'GET /cluster/resources',
  'GET /cluster/status',
  'GET /cluster/tasks',
  'GET /nodes',
  'GET /nodes/{node}',
  'GET /nodes/{node}/status',
  'GET /nodes/{node}/version',
  'GET /nodes/{node}/rrddata',
  'GET /nodes/{node}/tasks',
  'GET /nodes/{node}/tasks/{upid}',
  'DELETE /nodes/{node}/tasks/{upid}',
  'GET /nodes/{node}/tasks/{upid}/status',
  'GET /nodes/{node}/tasks/{upid}/log',
  'POST /nodes/{node}/termproxy',
  'GET /nodes/{node}/vncwebsocket',
  'GET /nodes/{node}/storage',
  'GET /nodes/{node}/storage/{storage}',
  'GET /nodes/{node}/storage/{storage}/status',
  'GET /nodes/{node}/storage/{storage}/content',
  'GET /nodes/{node}/subscription',
  'GET /nodes/{node}/apt/repositories',
  'GET /storage',
  'GET /storage/{storage}',
  ...guestEndpoints('qemu'),
  ...guestEndpoints('lxc'),
  'POST /nodes/{node}/qemu/{vmid}/status/reset',
  'GET /nodes/{node}/qemu/{vmid}/agent',
  'GET /nodes/{node}/qemu/{vmid}/agent/network-get-interfaces',
  'GET /nodes/{node}/lxc/{vmid}/interfaces',
];

/** New in PVE 9: bulk guest actions, and the console-ticket check termproxy uses for tokens. */
const PVE9_ENDPOINTS: readonly string[] = [
  'POST /access/vncticket',
  'GET /cluster/bulk-action',
  'GET /cluster/bulk-action/guest',
  'POST /cluster/bulk-action/guest/start',
  'POST /cluster/bulk-action/guest/shutdown',
  'POST /cluster/bulk-action/guest/suspend',
];

/** What a node of that release serves. */
export function labEndpoints(major: PveMajor): readonly string[] {
  return major === 9 ? [...COMMON_ENDPOINTS, ...PVE9_ENDPOINTS] : COMMON_ENDPOINTS;
}

/** Every method the lab has a handler for, on either release. */
export const LAB_ENDPOINTS: readonly string[] = [...COMMON_ENDPOINTS, ...PVE9_ENDPOINTS];
