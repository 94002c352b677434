import { isTransitional } from '../../shared/power';
import type { PowerAction, ServerConfig } from '../../shared/server';
import type { RuntimeState } from '../inventory/status';
import { describeError } from './failures';
import { GUEST_TARGET } from './guests';
import { begin, fail, isUp, timeoutsFor, type Outcome, type Transition } from './machine';
import { TIMEOUT_HINTS, transitionNotice } from './notices';
import type { PowerHost } from './ports';
import { budgetOf, type ControllerSettings } from './settings';
import type { Failure, PowerBook } from './state';

/** A power command began (its transitional state is set) or ended; for the action log and alerts. */
export interface PowerActionEvent {
  serverId: string;
  action: PowerAction;
  phase: 'started' | 'ended';
  at: number;
  /** Sent by the reconcile loop (or as a parent's wake), not by a face. */
  fromReconcile?: boolean;
  outcome?: Outcome;
  detail?: string;
}

/**
 * The life of a transition: set when a command starts, its step updated as the command goes,
 * polled about every second until the state machine ends it, then settled once (reached, timed
 * out, failed) with its notice, its outcome for waiters, and its `ended` event.
 */
export class Transitions {
  private readonly listeners = new Set<(event: PowerActionEvent) => void>();

  constructor(
    private readonly host: PowerHost,
    private readonly book: PowerBook,
    private readonly settings: ControllerSettings,
  ) {}

  onAction(listener: (event: PowerActionEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: PowerActionEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.host.log.warn('a power action listener failed', error);
      }
    }
  }

  /** Sets the transitional state of `action`; a guest's target is where Proxmox puts it (paused, stopped, hibernated). */
  begin(server: ServerConfig, action: PowerAction, guest: boolean): void {
    const id = server.id;
    const rt = this.host.runtime(id) as RuntimeState;
    const timeouts = timeoutsFor(server.powerControl, this.settings.timeouts);
    const snap = begin({ power: rt.power, since: rt.since, ...(rt.transition ? { transition: rt.transition } : {}) }, action, this.host.clock.now(), timeouts);
    const transition = snap.transition && guest ? { ...snap.transition, target: GUEST_TARGET[action] } : snap.transition;
    const { detail: _old, ...rest } = rt;
    const record = this.book.of(id);
    delete record.error;
    delete record.lastOutcome;
    if (guest) record.guestRun = {};
    this.host.setRuntime(id, { ...rest, power: snap.power, since: snap.since, ...(transition ? { transition } : {}) });
  }

  /** Keeps the promise of the command being sent, for `sent`. */
  track(id: string, sent: Promise<void>): void {
    this.book.of(id).inflight = sent;
    void sent.finally(() => {
      const record = this.book.peek(id);
      if (record?.inflight === sent) delete record.inflight;
    });
  }

  /** Resolves once the command of the current transition has been sent (or failed to be). */
  sent(id: string): Promise<void> {
    return this.book.peek(id)?.inflight ?? Promise.resolve();
  }

  /** Resolves when the server is no longer transitional: target reached, timed out, or failed. */
  waitSettled(id: string): Promise<Outcome> {
    const rt = this.host.runtime(id);
    if (!rt || !isTransitional(rt.power)) return Promise.resolve(this.book.peek(id)?.lastOutcome ?? 'reached');
    return new Promise((resolve) => {
      const record = this.book.of(id);
      (record.waiters ??= new Set()).add(resolve);
    });
  }

  /**
   * Updates the step shown under a transitional state. `budgetFrom` gives the command its full
   * time again from that moment: waiting for a parent must not eat the child's own time to wake.
   * False when the transition of `action` is no longer there (ended, or replaced).
   */
  setStep(server: ServerConfig, action: PowerAction, step: string, budgetFrom?: number): boolean {
    const rt = this.host.runtime(server.id);
    if (!rt?.transition || rt.transition.action !== action || !isTransitional(rt.power)) return false;
    const transition: Transition = { ...rt.transition, step };
    if (budgetFrom !== undefined) transition.deadline = Math.max(transition.deadline, budgetFrom + budgetOf(this.settings, server, action));
    this.host.setRuntime(server.id, { ...rt, transition });
    return true;
  }

  /** A command that could not be sent: the card shows why, and its transition ends failed. */
  fail(server: ServerConfig, action: PowerAction, error: unknown): void {
    const id = server.id;
    const { message, hint } = describeError(error);
    const failure: Failure = { action, message, at: this.host.clock.now(), ...(hint ? { hint } : {}) };
    const rt = this.host.runtime(id);
    if (!rt) return;
    this.book.of(id).error = failure;
    if (!rt.transition || rt.transition.action !== action || !isTransitional(rt.power)) {
      this.host.changed(id);
      return;
    }
    const t = rt.transition;
    const step = fail({ power: rt.power, since: rt.since, transition: t }, this.host.clock.now(), message);
    const { transition: _t, detail: _d, ...rest } = rt;
    this.host.setRuntime(id, { ...rest, power: step.next.power, since: step.next.since, detail: message });
    this.host.log.warn(`${action} ${server.name} failed: ${message}`);
    this.settle(id, server, t, 'failed', { detail: message, ...(hint ? { hint } : {}) });
  }

  /**
   * The admin stopped the transition: it ends now, as a failure whose reason says so, back in
   * the state it came from until the next probe says otherwise. A command not yet sent is not
   * sent (the actuation checks its step before sending); one already sent cannot be taken back.
   * False when no transition runs.
   */
  cancel(server: ServerConfig): boolean {
    const id = server.id;
    const rt = this.host.runtime(id);
    if (!rt?.transition || !isTransitional(rt.power)) return false;
    const t = rt.transition;
    const now = this.host.clock.now();
    const message = `${t.action} cancelled by the admin`;
    const step = fail({ power: rt.power, since: rt.since, transition: t }, now, message);
    const { transition: _t, detail: _d, ...rest } = rt;
    this.book.endGuestRun(id);
    this.book.of(id).error = { action: t.action, message: `${message}; a command already sent cannot be taken back`, at: now };
    this.host.setRuntime(id, { ...rest, power: step.next.power, since: step.next.since, detail: message });
    this.settle(id, server, t, 'failed', { detail: message, quiet: true });
    return true;
  }

  /** A probe ended a transition (the state machine decided): reached, or timed out. */
  observed(id: string, server: ServerConfig | undefined, prev: RuntimeState, next: RuntimeState): void {
    if (!prev.transition || next.transition) return;
    const t = prev.transition;
    const reached = next.power === t.target || (t.target === 'on' && isUp(next.power));
    this.settle(id, server, t, reached ? 'reached' : 'timeout', next.detail ? { detail: next.detail } : {});
  }

  /** Ends a transition once: its outcome, its event, its notice (unless `quiet`), and its waiters. */
  settle(id: string, server: Pick<ServerConfig, 'name'> | undefined, t: Transition, outcome: Outcome, more: { detail?: string; hint?: string; quiet?: boolean } = {}): void {
    const { detail, hint } = more;
    const now = this.host.clock.now();
    this.book.of(id).lastOutcome = outcome;
    this.emit({ serverId: id, action: t.action, phase: 'ended', at: now, outcome, ...(detail ? { detail } : {}) });
    this.book.cancel(id, 'poll');
    if (outcome === 'timeout') {
      this.book.of(id).error = { action: t.action, message: detail ?? 'timed out', hint: TIMEOUT_HINTS[t.action], at: now };
      this.host.changed(id);
    }
    if (server && !more.quiet) {
      const notice = transitionNotice({ serverId: id, serverName: server.name, transition: t, outcome, at: now, ...(detail ? { detail } : {}), ...(hint ? { hint } : {}) });
      if (notice) this.host.notify(notice);
    }
    const record = this.book.peek(id);
    const waiters = record?.waiters;
    if (record) delete record.waiters;
    for (const resolve of waiters ?? []) resolve(outcome);
  }

  /** About every second while transitional: each probe feeds the state machine, which ends the transition. */
  schedulePoll(id: string): void {
    const record = this.book.of(id);
    if (record.poll !== undefined) return;
    record.poll = this.host.clock.setTimeout(() => {
      const current = this.book.peek(id);
      if (current) delete current.poll;
      void this.host
        .probe(id)
        .catch((error: unknown) => this.host.log.warn(`fast poll of ${id} failed`, error))
        .then(() => {
          const rt = this.host.runtime(id);
          if (rt && isTransitional(rt.power)) this.schedulePoll(id);
        });
    }, this.settings.fastPollMs);
  }
}
