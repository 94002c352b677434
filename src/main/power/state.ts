import type { PowerAction, SystemInfoView } from '../../shared/server';
import type { Clock, TimerHandle } from '../base/clock';
import type { HostKeyMismatch } from '../drivers/ssh/model';
import type { GuestReading } from './guests';
import type { InitRecord } from './init';
import type { Outcome } from './machine';

/** A failure the card shows under the server: what happened, and what to try. */
export interface Failure {
  action?: PowerAction | 'init';
  message: string;
  hint?: string;
  at: number;
}

/** What init found on a host (the view adds the failure count from the init record). */
export type SystemFacts = Omit<SystemInfoView, 'initFailures'>;

/** A guest command of ours in flight through Proxmox: the last reading Proxmox gave, and the deadline timer. */
export interface GuestRun {
  reading?: GuestReading;
  timer?: TimerHandle;
}

/** A refused host key as the card shows it, with when it was first seen. */
export type ShownMismatch = HostKeyMismatch & { at: number };

/** Everything power keeps about one server beside its runtime state (which the Engine holds). */
export interface ServerRecord {
  /** The failure the card shows: a command's, init's, or the reconcile loop's. */
  error?: Failure;
  /** What the last successful init found (init-loop). */
  system?: SystemFacts;
  /** Init's schedule and failure count (init-loop). */
  init?: InitRecord;
  /** The init under way; another request joins it (init-loop). */
  initRunning?: Promise<void>;
  /** The retry of a failed init (init-loop). */
  initTimer?: TimerHandle;
  /** The next fast poll of a transitional host (transitions). */
  poll?: TimerHandle;
  /** Who waits for the current transition to settle (transitions). */
  waiters?: Set<(outcome: Outcome) => void>;
  /** How the last transition ended (transitions). */
  lastOutcome?: Outcome;
  /** The command of the current transition, until it has been sent (transitions). */
  inflight?: Promise<void>;
  /** Why the desired state cannot be reached, told once per reason (reconcile-loop). */
  blocked?: string;
  /** A guest command of ours through Proxmox (guest-runs). */
  guestRun?: GuestRun;
}

/**
 * The one place power's per-server state lives, read by the card and written by the command
 * lifecycle and the loops. The timers it holds are cancelled here too, so stopping or
 * forgetting a server never leaves one behind.
 */
export class PowerBook {
  private readonly records = new Map<string, ServerRecord>();
  /** Refused host keys by SSH endpoint: servers that share an address and port share one. */
  readonly mismatches = new Map<string, ShownMismatch>();

  constructor(private readonly clock: Clock) {}

  /** A server's record, made on first use. */
  of(id: string): ServerRecord {
    let record = this.records.get(id);
    if (!record) this.records.set(id, (record = {}));
    return record;
  }

  /** A server's record when anything is kept about it (reads never make one). */
  peek(id: string): ServerRecord | undefined {
    return this.records.get(id);
  }

  ids(): string[] {
    return [...this.records.keys()];
  }

  /** Cancels a server's fast poll or init retry. */
  cancel(id: string, timer: 'poll' | 'initTimer'): void {
    const record = this.records.get(id);
    const handle = record?.[timer];
    if (handle !== undefined) this.clock.clearTimeout(handle);
    if (record) delete record[timer];
  }

  /** Ends the guest run of a server (its deadline timer with it). */
  endGuestRun(id: string): void {
    const run = this.records.get(id)?.guestRun;
    if (!run) return;
    if (run.timer !== undefined) this.clock.clearTimeout(run.timer);
    delete this.of(id).guestRun;
  }

  /** Cancels every timer (the controller stops). */
  stopAll(): void {
    for (const id of this.records.keys()) {
      this.cancel(id, 'poll');
      this.cancel(id, 'initTimer');
      this.endGuestRun(id);
    }
  }

  /**
   * A server left the inventory: its timers stop and what the card showed goes. Work already
   * under way (a command being sent, an init, waiters) keeps its entries until it ends.
   */
  forget(id: string): void {
    const record = this.records.get(id);
    if (!record) return;
    this.cancel(id, 'poll');
    this.cancel(id, 'initTimer');
    this.endGuestRun(id);
    for (const shown of ['error', 'system', 'init', 'lastOutcome', 'blocked'] as const) delete record[shown];
    if (Object.keys(record).length === 0) this.records.delete(id);
  }
}
