/**
 * A node's subscription and APT repositories: the per-node state tests change, and what
 * GET /nodes/{node}/subscription answers from it. The repository files themselves are rendered
 * by repo-files.ts. The default is a homelab's usual setup: no subscription key, the enterprise
 * repository disabled, the no-subscription repository enabled.
 */
import { createHash } from 'node:crypto';
import type { ClusterState } from './cluster-state';

export type SubscriptionStatus = 'new' | 'notfound' | 'active' | 'invalid' | 'expired' | 'suspended';

export interface LabSubscription {
  status: SubscriptionStatus;
  /** YYYY-MM-DD; a default one year after registration when a key is set. */
  nextduedate?: string;
  /** The human-readable status; real nodes word expiry and invalid keys here. */
  message?: string;
  /** c (community), b (basic), s (standard), p (premium). Default c. */
  level?: 'c' | 'b' | 's' | 'p';
}

export interface LabRepoState {
  subscription: LabSubscription;
  enterprise: boolean;
  noSubscription: boolean;
  /** The pvetest repository: absent when not configured at all (the usual case). */
  test?: boolean;
  /** The Debian repository still names the previous release's suite, which Proxmox flags as "old suite". */
  oldSuite: boolean;
  /** Repository files apt cannot parse, as the API lists them. */
  errors: { path: string; error: string }[];
}

export const HOMELAB_REPOS: LabRepoState = { subscription: { status: 'notfound' }, enterprise: false, noSubscription: true, oldSuite: false, errors: [] };

/** The node's state; the homelab default until a test changes it. */
export function reposOf(state: ClusterState, node: string): LabRepoState {
  let repos = state.repos.get(node);
  if (!repos) {
    repos = structuredClone(HOMELAB_REPOS);
    state.repos.set(node, repos);
  }
  return repos;
}

export function setRepos(state: ClusterState, node: string, patch: Partial<LabRepoState>): void {
  state.requireNode(node);
  const next = { ...reposOf(state, node), ...structuredClone(patch) };
  if ('test' in patch && patch.test === undefined) delete next.test;
  state.repos.set(node, next);
}

const PRODUCTS: Record<NonNullable<LabSubscription['level']>, string> = {
  c: 'Proxmox VE Community Subscription 1 CPU/year',
  b: 'Proxmox VE Basic Subscription 1 CPU/year',
  s: 'Proxmox VE Standard Subscription 1 CPU/year',
  p: 'Proxmox VE Premium Subscription 1 CPU/year',
};

const PRICING = 'https://www.proxmox.com/en/proxmox-virtual-environment/pricing';

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * As PVE::API2::Subscription answers: without a key, status `notfound` and why; with one, the
 * key's record. The server id (and with it the key's details) only for Sys.Audit on the node.
 */
export function subscriptionView(state: ClusterState, node: string, canAudit: boolean): Record<string, unknown> {
  const sub = reposOf(state, node).subscription;
  const serverid = createHash('sha256').update(`${state.settings.seed}:${node}:serverid`).digest('hex').slice(0, 32).toUpperCase();
  if (sub.status === 'notfound') return { status: 'notfound', message: sub.message ?? 'There is no subscription key', url: PRICING, ...(canAudit ? { serverid } : {}) };
  if (!canAudit) return { status: sub.status, ...(sub.message ? { message: sub.message } : {}), url: PRICING };
  const now = state.clock.now();
  const level = sub.level ?? 'c';
  const registered = now - 200 * 86_400_000;
  return {
    status: sub.status,
    key: `pve1${level}-${serverid.slice(0, 10).toLowerCase()}`,
    level,
    productname: PRODUCTS[level],
    regdate: `${day(registered)} 00:00:00`,
    nextduedate: sub.nextduedate ?? day(registered + 365 * 86_400_000),
    ...(sub.status === 'new' ? {} : { checktime: Math.floor(now / 1000) - 3600 }),
    ...(sub.message ? { message: sub.message } : {}),
    serverid,
    sockets: 1,
    url: PRICING,
  };
}
