/**
 * The simulated Proxmox VE cluster (release 9.1 or 8.4): an HTTPS /api2/json on loopback that
 * behaves like pveproxy, for demo mode, tests and benchmarks.
 */
export { startProxmoxCluster } from './cluster';
export type * from './cluster-types';
export type { LabRepoState, LabSubscription, SubscriptionStatus } from './repos';
export { validateReturns } from './schema-returns';
export { labSchema, verifyParams } from './schema-check';
export type { SchemaEndpoint, SchemaProp, MethodInfo } from './schema-types';
export { REAL_SERVER_DEVIATIONS, isRealServerDeviation } from './deviations';
export { pveProfile, type PveMajor, type PveProfile } from './profile';
