/**
 * Where real Proxmox VE servers answer outside their own schema, and the lab does the same so
 * clients meet these shapes in tests: the schema walk accepts exactly these problems and no
 * others. Each names the endpoint, the problem as validateReturns words it, and why.
 */
export interface SchemaDeviation {
  /** "METHOD /schema/path". */
  endpoint: string;
  problem: RegExp;
  why: string;
}

const PORT_AS_STRING = /^data\.port: expected integer, got "\d+"$/;
const CONSOLE_PORT = 'the console port is sent as a JSON string (Perl used the number as a string first)';

export const REAL_SERVER_DEVIATIONS: readonly SchemaDeviation[] = [
  { endpoint: 'GET /nodes/{node}/lxc', problem: /^data\[\d+\]\.vmid: expected integer, got "\d+"$/, why: 'pve-container lists vmid as a string, the key of its status hash' },
  { endpoint: 'POST /nodes/{node}/termproxy', problem: PORT_AS_STRING, why: CONSOLE_PORT },
  { endpoint: 'POST /nodes/{node}/qemu/{vmid}/termproxy', problem: PORT_AS_STRING, why: CONSOLE_PORT },
  { endpoint: 'POST /nodes/{node}/lxc/{vmid}/termproxy', problem: PORT_AS_STRING, why: CONSOLE_PORT },
  { endpoint: 'POST /nodes/{node}/qemu/{vmid}/vncproxy', problem: PORT_AS_STRING, why: CONSOLE_PORT },
  { endpoint: 'POST /nodes/{node}/lxc/{vmid}/vncproxy', problem: PORT_AS_STRING, why: CONSOLE_PORT },
  {
    endpoint: 'GET /nodes/{node}/apt/repositories',
    problem: /^data\.infos\[\d+\]\.index: expected string, got \d+$/,
    why: "proxmox-apt's APTRepositoryInfo holds the index as a usize: it reaches JSON as a number",
  },
  { endpoint: 'GET /nodes/{node}/lxc/{vmid}/interfaces', problem: /^data: expected array, got null$/, why: 'a stopped container has no interfaces: data is null (API-NOTES)' },
];

/** Whether a validateReturns problem on that endpoint is one real servers show too. */
export function isRealServerDeviation(endpoint: string, problem: string): boolean {
  return REAL_SERVER_DEVIATIONS.some((d) => d.endpoint === endpoint && d.problem.test(problem));
}
