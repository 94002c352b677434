import * as z from 'zod';
import { apiPath, type ProxmoxApi } from './api';
import { optBool, optNum, optStr, parseList, toStr } from './model/parse';
import { lazySchema } from '../../../shared/contract/lazy';

/**
 * A node's subscription and APT repositories, as Proxmox's own GUI reads them for its
 * "Repositories" panel: GET /nodes/{node}/subscription (any user) and
 * GET /nodes/{node}/apt/repositories (Sys.Audit on /nodes/{node}). Both run on the node itself,
 * so an offline node answers neither (595 through another node).
 */

export interface NodeSubscription {
  /** new | notfound | active | invalid | expired | suspended (kept as sent, should a release add one). */
  status: string;
  level?: string;
  message?: string;
  nextduedate?: string;
  productname?: string;
}

/** One of the repositories Proxmox knows by name: enterprise, no-subscription, test, ceph-squid-enterprise… */
export interface StandardRepo {
  handle: string;
  name: string;
  /** true: configured and enabled; false: configured but disabled; absent: not configured at all. */
  enabled?: boolean;
}

export interface RepoInfo {
  path: string;
  index?: number;
  /** `warning` is what the GUI shows as one ("old suite 'bookworm' configured!"); `origin` and others are notes. */
  kind: string;
  message: string;
  property?: string;
}

export interface NodeRepos {
  subscription: NodeSubscription;
  standard: StandardRepo[];
  /** Repository files apt cannot parse. */
  errors: { path: string; error: string }[];
  infos: RepoInfo[];
}

const subscriptionSchema = lazySchema(() => z.object({ status: optStr, level: optStr, message: optStr, nextduedate: optStr, productname: optStr }));

const standardSchema = lazySchema(() => z.object({ handle: z.unknown().transform((v) => toStr(v) ?? ''), name: optStr, status: optBool }));
const errorSchema = lazySchema(() => z.object({ path: optStr, error: optStr }));
// Unknown fields are dropped, not refused. `index` is a string in the schema; servers send the number the Rust side has: either reads.
const infoSchema = lazySchema(() => z.object({ path: optStr, index: optNum, kind: optStr, message: optStr, property: optStr }));
const reposSchema = lazySchema(() => z.object({ errors: z.unknown().optional(), infos: z.unknown().optional(), 'standard-repos': z.unknown().optional() }));

export async function nodeSubscription(api: ProxmoxApi, node: string): Promise<NodeSubscription> {
  const s = await api.get(apiPath`/nodes/${node}/subscription`, subscriptionSchema);
  return {
    status: s.status ?? 'unknown',
    ...(s.level ? { level: s.level } : {}),
    ...(s.message ? { message: s.message } : {}),
    ...(s.nextduedate ? { nextduedate: s.nextduedate } : {}),
    ...(s.productname ? { productname: s.productname } : {}),
  };
}

/** Both answers; the repositories' lists entry by entry, so one odd entry cannot hide the rest. */
export async function nodeRepos(api: ProxmoxApi, node: string): Promise<NodeRepos> {
  const [subscription, raw] = await Promise.all([nodeSubscription(api, node), api.get(apiPath`/nodes/${node}/apt/repositories`, reposSchema)]);
  const standard = parseList(standardSchema, raw['standard-repos']).items.filter((r) => r.handle !== '');
  const infos = parseList(infoSchema, raw.infos).items;
  return {
    subscription,
    standard: standard.map((r) => ({ handle: r.handle, name: r.name ?? r.handle, ...(r.status !== undefined ? { enabled: r.status } : {}) })),
    errors: parseList(errorSchema, raw.errors).items.map((e) => ({ path: e.path ?? '?', error: e.error ?? 'cannot be parsed' })),
    infos: infos.map((i) => ({
      path: i.path ?? '?',
      kind: i.kind ?? 'info',
      message: i.message ?? '',
      ...(i.index !== undefined && Number.isInteger(i.index) ? { index: i.index } : {}),
      ...(i.property ? { property: i.property } : {}),
    })),
  };
}
