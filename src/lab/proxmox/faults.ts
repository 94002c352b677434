/**
 * Fault injection for tests and the demo: slow answers, 500s, dropped connections, failing
 * tasks and expired tickets, switched on and off at run time through the handle.
 */
import type { Rng } from '../random';
import type { FaultSpec } from './cluster-types';

export class Faults {
  private spec: FaultSpec = {};

  constructor(private readonly rng: Rng) {}

  /** Merges; a key given as undefined lifts that fault. */
  set(fault: FaultSpec): void {
    const next: Record<string, unknown> = { ...this.spec };
    for (const [key, value] of Object.entries(fault)) {
      if (value === undefined) delete next[key];
      else next[key] = value;
    }
    this.spec = next as FaultSpec;
  }

  clear(): void {
    this.spec = {};
  }

  get latencyMs(): number {
    return Math.max(0, this.spec.latencyMs ?? 0);
  }

  get dropConnections(): boolean {
    return this.spec.dropConnections === true;
  }

  get expireTickets(): boolean {
    return this.spec.expireTickets === true;
  }

  /** Whether this API request should be answered with a 500. */
  failRequest(path: string): boolean {
    for (const rule of this.spec.fail500Paths ?? []) {
      if (rule instanceof RegExp ? rule.test(path) : matchesPath(rule, path)) return true;
    }
    const rate = this.spec.errorRate ?? 0;
    return rate > 0 && this.rng.next() < rate;
  }

  failTask(type: string, vmid: number | undefined): boolean {
    const rule = this.spec.failTasks;
    if (rule === undefined || rule === false) return false;
    if (rule === true) return true;
    if (rule.types && !rule.types.includes(type)) return false;
    if (rule.vmids && (vmid === undefined || !rule.vmids.includes(vmid))) return false;
    return true;
  }
}

function matchesPath(rule: string, path: string): boolean {
  return rule.endsWith('*') ? path.startsWith(rule.slice(0, -1)) : rule === path;
}
