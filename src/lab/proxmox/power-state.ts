/** The two state changes every path that starts or stops a guest shares. */
import type { ClusterState } from './cluster-state';
import type { Guest } from './model';

export function markStarted(state: ClusterState, g: Guest): void {
  g.status = 'running';
  g.paused = false;
  g.startedAt = state.clock.now();
}

export function markStopped(g: Guest): void {
  g.status = 'stopped';
  g.paused = false;
  g.startedAt = undefined;
}
