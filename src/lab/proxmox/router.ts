/**
 * The lab's route table: one handler per schema endpoint ("METHOD /schema/path"). Handlers get
 * parameters that have already been verified against the schema and a principal that has
 * already passed the method's permission check.
 */
import type { Principal } from './auth';
import type { ClusterState } from './cluster-state';
import type { ConsoleManager } from './console';
import { LAB_ENDPOINTS } from './endpoints';
import type { NodeRecord } from './model';

export interface LabServices {
  consoles: ConsoleManager;
  fingerprint(): string;
  certPem(): string;
}

export interface RouteContext {
  state: ClusterState;
  services: LabServices;
  /** The node whose listener received the request. */
  local: NodeRecord;
  principal: Principal;
  params: Readonly<Record<string, string>>;
}

/** A list answer that also carries `total` (task lists, task logs). */
export class Paged {
  constructor(
    readonly data: readonly unknown[],
    readonly total: number,
  ) {}
}

export type RouteHandler = (ctx: RouteContext) => unknown;

const KNOWN = new Set(LAB_ENDPOINTS);

export class Router {
  private readonly handlers = new Map<string, RouteHandler>();

  add(endpoint: string, handler: RouteHandler): void {
    if (!KNOWN.has(endpoint)) throw new Error(`${endpoint} is not in LAB_ENDPOINTS (and so not in the schema subset)`);
    if (this.handlers.has(endpoint)) throw new Error(`${endpoint} registered twice`);
    this.handlers.set(endpoint, handler);
  }

  get(method: string, schemaPath: string): RouteHandler | undefined {
    return this.handlers.get(`${method} ${schemaPath}`);
  }

  registered(): string[] {
    return [...this.handlers.keys()];
  }
}
