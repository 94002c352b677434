import { isTransitional } from '../../shared/power';
import type { ServerConfig } from '../../shared/server';
import type { StartCommand } from './commands';
import { ancestorsOf } from './family';
import { PowerCommandError } from './failures';
import { isUp, type Outcome } from './machine';
import type { PowerHost } from './ports';
import type { Transitions } from './transitions';

/**
 * Parents first: a host (or a guest's node) comes up only once everything under it is up, and a
 * wake already under way is waited for rather than sent twice.
 */
export class Parents {
  constructor(
    private readonly host: PowerHost,
    private readonly transitions: Transitions,
    private readonly start: StartCommand,
  ) {}

  /**
   * Wakes a server for another capability (a guest's node before the guest starts) and resolves
   * once it settled. A wake already under way (the reconcile loop's, the admin's) is waited for
   * rather than refused, so the two never both send it.
   */
  async ensureAwake(server: ServerConfig): Promise<Outcome> {
    const id = server.id;
    for (let round = 0; round < 3; round++) {
      const rt = this.host.runtime(id);
      if (!rt) return 'failed';
      if (isUp(rt.power)) return 'reached';
      if (isTransitional(rt.power)) {
        const outcome = await this.transitions.waitSettled(id);
        if (rt.power === 'waking') return outcome;
        continue;
      }
      this.start(server, 'wake', { fromReconcile: true });
      return this.transitions.waitSettled(id);
    }
    return isUp(this.host.runtime(id)?.power ?? 'unknown') ? 'reached' : 'failed';
  }

  /** Wakes every sleeping ancestor, top down, each only once the one above it is up. Returns whether it had to wait. */
  async wakeAncestors(server: ServerConfig): Promise<boolean> {
    let waited = false;
    for (const parent of ancestorsOf(this.host.servers(), server)) {
      let tried = false;
      for (;;) {
        const rt = this.host.runtime(parent.id);
        if (!rt || isUp(rt.power)) break;
        waited = true;
        if (isTransitional(rt.power)) {
          // Until the parent's own deadline, the child is waiting, not failing to wake.
          this.transitions.setStep(server, 'wake', `waiting for ${parent.name} to ${rt.power === 'waking' ? 'wake' : 'settle'}`, rt.transition?.deadline);
          await this.transitions.waitSettled(parent.id);
          continue;
        }
        if (tried) throw new PowerCommandError(`its parent ${parent.name} did not come up`, `Wake ${parent.name} first and check why it does not answer.`);
        tried = true;
        try {
          this.start(parent, 'wake', { fromReconcile: true });
        } catch (error) {
          throw new PowerCommandError(`its parent ${parent.name} cannot be woken: ${(error as Error).message}`);
        }
      }
    }
    return waited;
  }
}
