import { checkSubject, intervalOf, type CheckDef, type CheckSpec, type CheckStateView, type CheckView } from '../../shared/contract/checks';
import type { TimerHandle } from '../base/clock';
import { HandlerError } from '../base/errors';
import type { EnginePart } from '../health/hooks';
import type { Engine } from '../inventory/engine';
import { CheckBook } from './book';
import { initialState, stepState, type Outcome } from './model/state';
import type { ChecksPeers, ChecksPorts } from './ports';
import { runCheck } from './runner';

/** Runs in flight at once, across every server: a homelab's checks are cheap, but 2 cores are shared. */
const MAX_PARALLEL = 16;
/** The first runs after a start are spread over this long, so a restart is no thundering herd. */
const START_SPREAD_MS = 5_000;

/**
 * The checks capability (issue 18), an EnginePart: every server's checks, each on its own timer
 * and interval, with its state (ok / warning / failing / unknown). Deciding is the model's
 * (model/state.ts, the judges); this sequences the runs, keeps the states, saves the
 * definitions and raises or clears the `check` alert through the monitoring's condition path.
 */
export class ChecksService implements EnginePart {
  private bookImpl: CheckBook | undefined;
  private readonly states = new Map<string, CheckStateView>();
  private readonly timers = new Map<string, TimerHandle>();
  private readonly running = new Map<string, Promise<CheckView>>();
  private readonly queue: Array<() => void> = [];
  private active = 0;
  private started = false;
  private readonly offs: Array<() => void> = [];

  constructor(
    private readonly engine: Engine,
    private readonly peers: ChecksPeers,
    private readonly ports: ChecksPorts,
  ) {
    this.offs.push(engine.onForget((id) => this.forgetServer(id)));
  }

  private get book(): CheckBook {
    this.bookImpl ??= new CheckBook(this.ports.store.load((m) => this.engine.log.warn(m), this.engine.clock.now()));
    return this.bookImpl;
  }

  // ------------------------------------------------------------------ lifecycle

  start(): void {
    if (this.started) return;
    this.started = true;
    const all = this.book.all().filter((e) => e.check.enabled);
    all.forEach((e, i) => this.schedule(e.serverId, e.check, Math.min(intervalOf(e.check) * 1000, Math.round((START_SPREAD_MS * i) / Math.max(1, all.length)))));
  }

  stop(): void {
    this.started = false;
    for (const t of this.timers.values()) this.engine.clock.clearTimeout(t);
    this.timers.clear();
  }

  // ------------------------------------------------------------------ what the handlers call

  list(serverRef?: string): CheckView[] {
    if (serverRef !== undefined) {
      const id = this.engine.get(serverRef).id;
      return this.book.of(id).map((c) => this.view(id, c));
    }
    return this.book.all().map((e) => this.view(e.serverId, e.check));
  }

  add(serverRef: string, spec: CheckSpec): CheckView {
    const id = this.engine.get(serverRef).id;
    const check = this.book.add(id, spec);
    this.save();
    this.reschedule(id, check);
    return this.emit(id, check);
  }

  update(serverRef: string, checkId: string, spec: CheckSpec): CheckView {
    const id = this.engine.get(serverRef).id;
    const check = this.book.update(id, checkId, spec);
    this.save();
    // A changed check starts afresh: its old verdict was about another question.
    this.release(id, checkId, 'The check was changed');
    this.states.delete(key(id, checkId));
    this.reschedule(id, check);
    return this.emit(id, check);
  }

  remove(serverRef: string, checkId: string): boolean {
    const id = this.engine.get(serverRef).id;
    if (!this.book.remove(id, checkId)) return false;
    this.save();
    this.release(id, checkId, 'The check was removed');
    this.unschedule(id, checkId);
    this.states.delete(key(id, checkId));
    return true;
  }

  /** Runs the server's checks (or one) now, disabled ones too, and answers with their new states. */
  async runNow(serverRef: string, checkId?: string): Promise<CheckView[]> {
    const id = this.engine.get(serverRef).id;
    const checks = checkId === undefined ? this.book.of(id) : [this.book.find(id, checkId)].filter((c): c is CheckDef => c !== undefined);
    if (checkId !== undefined && checks.length === 0) throw new HandlerError('not_found', `Check "${checkId}" was not found on ${this.engine.get(id).name}`);
    return Promise.all(checks.map((c) => this.run(id, c)));
  }

  /** For tests and the UI: one check's state. */
  stateOf(serverId: string, checkId: string): CheckStateView | undefined {
    return this.states.get(key(serverId, checkId));
  }

  // ------------------------------------------------------------------ running

  /** One run (a run already in flight is joined, not doubled), then its next on the check's interval. */
  run(serverId: string, check: CheckDef): Promise<CheckView> {
    const k = key(serverId, check.id);
    const inFlight = this.running.get(k);
    if (inFlight) return inFlight;
    const p = this.limited(() => this.runOnce(serverId, check)).finally(() => {
      this.running.delete(k);
      if (this.started && check.enabled && this.book.find(serverId, check.id) === check) this.schedule(serverId, check, intervalOf(check) * 1000);
    });
    this.running.set(k, p);
    return p;
  }

  private async runOnce(serverId: string, check: CheckDef): Promise<CheckView> {
    const { clock, log } = this.engine;
    const server = this.engine.view(serverId);
    const started = clock.now();
    const t0 = performance.now();
    let outcome: Outcome;
    if (!server) outcome = { result: 'unknown', message: 'the server is gone' };
    else {
      const abort = new AbortController();
      const guard = clock.setTimeout(() => abort.abort(), check.timeoutMs);
      try {
        outcome = await Promise.race([
          runCheck(check, { server, all: () => this.engine.snapshot().servers, now: started, signal: abort.signal }, this.ports, this.peers),
          new Promise<Outcome>((resolve) => abort.signal.addEventListener('abort', () => resolve({ result: 'fail', message: `no answer within ${check.timeoutMs} ms` }))),
        ]);
      } catch (error) {
        outcome = { result: 'fail', message: error instanceof Error ? error.message : String(error) };
      } finally {
        clock.clearTimeout(guard);
      }
    }
    // Removed or changed while it ran: what it saw is about a check that no longer exists.
    if (this.book.find(serverId, check.id) !== check) return this.view(serverId, check);
    const prev = this.states.get(key(serverId, check.id)) ?? initialState(started);
    const { state, edge } = stepState(prev, outcome, check.failAfter, clock.now(), Math.round(performance.now() - t0));
    this.states.set(key(serverId, check.id), state);
    if (state.status !== prev.status) log.info(`check ${check.id} of ${server?.name ?? serverId}: ${prev.status} → ${state.status} (${state.message})`);
    if (edge) this.alert(serverId, check.name ?? check.id, check.id, edge === 'fired', state.message);
    return this.emit(serverId, check);
  }

  private limited<T>(fn: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const go = () => {
        this.active++;
        fn().then(resolve, reject).finally(() => {
          this.active--;
          this.queue.shift()?.();
        });
      };
      if (this.active < MAX_PARALLEL) go();
      else this.queue.push(go);
    });
  }

  private schedule(serverId: string, check: CheckDef, delayMs: number): void {
    this.unschedule(serverId, check.id);
    const k = key(serverId, check.id);
    this.timers.set(
      k,
      this.engine.clock.setTimeout(() => {
        this.timers.delete(k);
        void this.run(serverId, check).catch((error: unknown) => this.engine.log.warn(`check ${check.id} of ${serverId} failed to run`, error));
      }, delayMs),
    );
  }

  private reschedule(serverId: string, check: CheckDef): void {
    this.unschedule(serverId, check.id);
    if (this.started && check.enabled) this.schedule(serverId, check, 0);
  }

  private unschedule(serverId: string, checkId: string): void {
    const k = key(serverId, checkId);
    const t = this.timers.get(k);
    if (t !== undefined) this.engine.clock.clearTimeout(t);
    this.timers.delete(k);
  }

  // ------------------------------------------------------------------ alerts and views

  private alert(serverId: string, label: string, checkId: string, active: boolean, message: string): void {
    const serverName = this.engine.find(serverId)?.name ?? serverId;
    if (active && !this.peers.ruleOn('check')) {
      // No rule would raise it (rules saved before checks existed, or turned off): the admin still hears of it.
      this.engine.notify({ level: 'warning', title: `${serverName}: check "${label}" is failing`, body: `${message}. No alert rule of the kind "A check failed" is on, so no channel was told.`, serverId });
    }
    this.peers.condition('check', {
      subject: checkSubject(serverId, checkId),
      serverId,
      serverName,
      active,
      at: this.engine.clock.now(),
      title: active ? `${serverName}: check "${label}" is failing` : `${serverName}: check "${label}" is good again`,
      body: message,
    });
  }

  /** The check is gone or changed: an alert it held is cleared. */
  private release(serverId: string, checkId: string, why: string): void {
    const state = this.states.get(key(serverId, checkId));
    const label = this.book.find(serverId, checkId)?.name ?? checkId;
    if (state?.alerting) this.alert(serverId, label, checkId, false, why);
  }

  private forgetServer(serverId: string): void {
    for (const c of this.book.of(serverId)) {
      this.unschedule(serverId, c.id);
      this.states.delete(key(serverId, c.id));
    }
    if (this.book.forget(serverId)) this.save();
  }

  private view(serverId: string, check: CheckDef): CheckView {
    const state = this.states.get(key(serverId, check.id)) ?? { ...initialState(this.engine.clock.now()), message: check.enabled ? 'not run yet' : 'disabled' };
    return { serverId, check, subject: checkSubject(serverId, check.id), state };
  }

  private emit(serverId: string, check: CheckDef): CheckView {
    const v = this.view(serverId, check);
    this.engine.events.emit('checks.changed', v);
    return v;
  }

  private save(): void {
    this.ports.store.save(this.book.toFile());
  }

  dispose(): void {
    this.stop();
    for (const off of this.offs.splice(0)) off();
  }
}

const key = (serverId: string, checkId: string) => `${serverId}|${checkId}`;
