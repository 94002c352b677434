/**
 * One API request through pveproxy's steps, in pveproxy's order: authenticate (401), find the
 * method (501), check permissions (403), proxy to the target node (595 when it is down), verify
 * parameters against the schema (400), then run the handler.
 */
import type { Principal } from './auth';
import type { ClusterState } from './cluster-state';
import { ApiError, paramError } from './errors';
import type { NodeRecord } from './model';
import { assertPermitted, PrivilegeSet } from './permissions';
import { Paged, type LabServices, type Router } from './router';
import { labSchema, verifyParams } from './schema-check';
import type { SchemaEndpoint } from './schema-types';

export interface ApiRequest {
  method: string;
  /** Path below /api2/json, e.g. /cluster/resources. */
  path: string;
  /** Query and body parameters, decoded to strings. */
  params: Record<string, string>;
  authorization?: string;
  cookie?: string;
  csrf?: string;
}

export type ApiOutcome =
  | { ok: true; data: unknown; total?: number; principal: Principal; endpoint: SchemaEndpoint }
  | { ok: false; error: ApiError };

/** Calls that need no authentication, as in PVE::HTTPServer::auth_handler. */
function isPublic(method: string, path: string): boolean {
  const p = path.replace(/\/+$/, '');
  return (p === '/access/ticket' && (method === 'GET' || method === 'POST')) || (p === '/access/vncticket' && method === 'POST');
}

const ANONYMOUS: Principal = { userid: '', isToken: false, privileges: new PrivilegeSet([]) };

/** Endpoints that run on the node named in the path, so a down node cannot answer them. */
function runsOnTarget(endpoint: SchemaEndpoint): boolean {
  return endpoint.info.proxyto === 'node' || /\/(termproxy|vncproxy|vncwebsocket)$/.test(endpoint.path);
}

export async function dispatch(
  state: ClusterState,
  services: LabServices,
  router: Router,
  local: NodeRecord,
  req: ApiRequest,
): Promise<ApiOutcome> {
  try {
    const principal = isPublic(req.method, req.path)
      ? ANONYMOUS
      : state.auth.authenticate({
          authorization: req.authorization,
          cookie: req.cookie,
          csrf: req.csrf,
          needsCsrf: req.method !== 'GET',
        });
    // A method the release does not have is not in its schema: 501, as on a real node.
    const matched = labSchema(state.profile.major).find(req.method, req.path);
    const handler = matched && router.get(req.method, matched.endpoint.path);
    if (!matched || !handler) throw new ApiError(501, `Method '${req.method} ${req.path}' not implemented`);
    const { endpoint, pathParams } = matched;

    for (const key of Object.keys(req.params)) {
      if (pathParams[key] !== undefined) throw paramError({ [key]: 'duplicate parameter (already defined in URI)' });
    }
    const params = { ...req.params, ...pathParams };

    if (principal !== ANONYMOUS) assertPermitted(endpoint.info.permissions, principal.privileges, params);

    if (params.node !== undefined && endpoint.path.startsWith('/nodes/{node}')) {
      const target = state.requireNode(params.node);
      if (target !== local && runsOnTarget(endpoint) && !state.isOnline(target)) {
        // pveproxy's proxy request to the node fails at connect: AnyEvent::HTTP's status 595.
        throw new ApiError(595, 'No route to host', undefined, true);
      }
    }

    const errors = verifyParams(endpoint.info.parameters, params, { privileges: state.profile.privileges });
    if (errors) throw paramError(errors);

    if (state.faults.failRequest(req.path)) throw new ApiError(500, 'internal error - simulated fault (lab)\n');

    const result = await handler({ state, services, local, principal, params });
    if (result instanceof Paged) return { ok: true, data: result.data, total: result.total, principal, endpoint };
    return { ok: true, data: result ?? null, principal, endpoint };
  } catch (err) {
    if (err instanceof ApiError) return { ok: false, error: err };
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, error: new ApiError(500, `${message}\n`) };
  }
}
