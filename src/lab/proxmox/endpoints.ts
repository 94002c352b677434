/**
 * Every API method the lab serves, as "METHOD /schema/path". The schema subset shipped with the
 * lab (pve-api-schema.ts) is cut from the official PVE 8 schema with exactly this list, and the
 * router refuses to register a handler that is not on it, so the two cannot drift apart.
 */
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

export const LAB_ENDPOINTS: readonly string[] = [
  'GET /version',
  'GET /access',
  'GET /access/ticket',
  'POST /access/ticket',
  'GET /cluster',
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
  'GET /storage',
  'GET /storage/{storage}',
  ...guestEndpoints('qemu'),
  ...guestEndpoints('lxc'),
  'POST /nodes/{node}/qemu/{vmid}/status/reset',
  'GET /nodes/{node}/qemu/{vmid}/agent',
  'GET /nodes/{node}/qemu/{vmid}/agent/network-get-interfaces',
  'GET /nodes/{node}/lxc/{vmid}/interfaces',
];
