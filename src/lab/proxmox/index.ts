/**
 * The simulated Proxmox VE 8 cluster: an HTTPS /api2/json on loopback that behaves like
 * pveproxy, for demo mode, tests and benchmarks.
 */
export { startProxmoxCluster } from './cluster';
export type * from './cluster-types';
export { validateReturns } from './schema-returns';
export { labSchema, verifyParams } from './schema-check';
export type { SchemaEndpoint, SchemaProp, MethodInfo } from './schema-types';
