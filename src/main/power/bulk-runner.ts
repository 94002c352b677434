import type { BulkPlanView, BulkRunView, BulkSettings, BulkStepView, BulkTarget } from '../../shared/contract/groups';
import type { PowerAction } from '../../shared/server';
import type { Clock, TimerHandle } from '../base/clock';
import { HandlerError, notFound } from '../base/errors';
import type { Logger } from '../base/logger';
import { planBulk, selectTarget, type PlanWorld } from './bulk-plan';
import type { Outcome } from './machine';

/** What the runner needs: the inventory as the plan sees it, power control, and the cluster's bulk call. */
export interface BulkPorts {
  clock: Clock;
  log: Logger;
  world(): PlanWorld;
  settings(): BulkSettings;
  /** Starts one server's command (the power controller's `run`, confirmed); throws its refusal. */
  run(serverId: string, action: PowerAction): void;
  waitSettled(serverId: string): Promise<Outcome>;
  /** Resolves once the command just started was sent (the magic packet is out), with why not when it failed. */
  sent(serverId: string): Promise<{ error?: string }>;
  /** Guests in their clusters' bulk calls; answers the guests left out, with why. */
  clusterBulk?(serverIds: readonly string[], action: PowerAction): Promise<{ skipped: { serverId: string; reason: string }[] }>;
  emit(run: BulkRunView): void;
}

interface Run {
  view: BulkRunView;
  timer?: TimerHandle;
  wake?: () => void;
  done: Promise<void>;
}

/** Runs kept for `runs` and `wait`; older ones are dropped. */
const KEEP = 50;

/**
 * Runs bulk plans: the cluster steps in one call each at the start, the host steps one after
 * another at their offsets on the injected clock (so a fake clock drives them in tests), each
 * staggered one at least the delay after the one before was sent, a parent's power-down once its
 * children in the plan settled. Cancelling stops what was not sent.
 */
export class BulkRunner {
  private readonly runs = new Map<string, Run>();
  private seq = 0;

  constructor(private readonly ports: BulkPorts) {}

  plan(action: PowerAction, target: BulkTarget, spacingMs?: number): BulkPlanView {
    const world = this.ports.world();
    const { members, unknown } = selectTarget(world, target);
    if (unknown.length > 0) throw notFound(`Server "${unknown.join('", "')}"`);
    if (members.length === 0) throw new HandlerError('not_found', `No server is in ${describeTarget(target)}`);
    return planBulk(world, members, action, spacingMs ?? this.ports.settings().wakeSpacingMs);
  }

  /** Plans now and starts the run; returns at once. */
  start(action: PowerAction, target: BulkTarget, spacingMs?: number): BulkRunView {
    const plan = this.plan(action, target, spacingMs);
    const id = `bulk-${this.ports.clock.now().toString(36)}-${++this.seq}`;
    const view: BulkRunView = { id, action, startedAt: this.ports.clock.now(), state: 'running', plan, results: plan.steps.map((s) => ({ serverId: s.serverId, status: 'pending' })) };
    const run: Run = { view, done: Promise.resolve() };
    this.runs.set(id, run);
    for (const old of [...this.runs.keys()].slice(0, Math.max(0, this.runs.size - KEEP))) this.runs.delete(old);
    run.done = this.execute(run).catch((error: unknown) => this.ports.log.error(`bulk run ${id} failed`, error));
    this.ports.emit(copy(view));
    return copy(view);
  }

  cancel(id: string): BulkRunView {
    const run = this.require(id);
    if (run.view.state === 'running') {
      run.view.state = 'cancelled';
      for (const r of run.view.results) if (r.status === 'pending') r.status = 'cancelled';
      if (run.timer !== undefined) this.ports.clock.clearTimeout(run.timer);
      run.wake?.();
      this.ports.emit(copy(run.view));
    }
    return copy(run.view);
  }

  async wait(id: string): Promise<BulkRunView> {
    const run = this.require(id);
    await run.done;
    return copy(run.view);
  }

  list(): BulkRunView[] {
    return [...this.runs.values()].map((r) => copy(r.view)).reverse();
  }

  /** The engine stops: no run goes on sending. */
  stopAll(): void {
    for (const [id, run] of this.runs) if (run.view.state === 'running') this.cancel(id);
  }

  private async execute(run: Run): Promise<void> {
    const { plan } = run.view;
    const background: Promise<void>[] = [];
    const cluster = plan.steps.filter((s) => s.via === 'proxmox');
    if (cluster.length > 0) background.push(this.sendCluster(run, cluster));
    // The delay holds between packets, not only between plan offsets: a command slow to go out
    // (a secret to read, a parent to wait for) pushes the ones after it back.
    let lastSent: number | undefined;
    for (const step of plan.steps) {
      if (step.via !== 'host') continue;
      await this.sleepUntil(run, Math.max(run.view.startedAt + step.offsetMs, lastSent === undefined ? 0 : lastSent + plan.spacingMs));
      if (run.view.state !== 'running') break;
      if (step.after && step.after.length > 0) background.push(this.afterChildren(run, step, step.after));
      else if (plan.spacingMs > 0) {
        await this.send(run, step);
        lastSent = this.ports.clock.now();
      } else background.push(this.send(run, step));
    }
    await Promise.all(background);
    if (run.view.state === 'running') {
      run.view.state = 'done';
      this.ports.emit(copy(run.view));
    }
  }

  private async afterChildren(run: Run, step: BulkStepView, after: readonly string[]): Promise<void> {
    const outcomes = await Promise.all(after.map((id) => this.ports.waitSettled(id)));
    if (run.view.state !== 'running') return;
    const failed = after.filter((_, i) => outcomes[i] !== 'reached');
    if (failed.length > 0) {
      const names = failed.map((id) => plan(run).steps.find((s) => s.serverId === id)?.name ?? id);
      this.mark(run, step.serverId, 'failed', `not sent: ${names.join(', ')} did not go down first`);
      return;
    }
    await this.send(run, step);
  }

  /** Starts the command at once (so the next step's time is kept), then marks it when it was really sent. */
  private send(run: Run, step: BulkStepView): Promise<void> {
    try {
      this.ports.run(step.serverId, run.view.action);
    } catch (error) {
      this.mark(run, step.serverId, 'failed', error instanceof Error ? error.message : String(error));
      return Promise.resolve();
    }
    return this.ports.sent(step.serverId).then(
      ({ error }) => this.mark(run, step.serverId, error === undefined ? 'sent' : 'failed', error, true),
      (error: unknown) => this.mark(run, step.serverId, 'failed', error instanceof Error ? error.message : String(error), true),
    );
  }

  private async sendCluster(run: Run, steps: readonly BulkStepView[]): Promise<void> {
    const ids = steps.map((s) => s.serverId);
    try {
      if (!this.ports.clusterBulk) throw new Error('Proxmox is not available');
      const { skipped } = await this.ports.clusterBulk(ids, run.view.action);
      const why = new Map(skipped.map((s) => [s.serverId, s.reason]));
      for (const id of ids) this.mark(run, id, why.has(id) ? 'failed' : 'sent', why.get(id));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      for (const id of ids) this.mark(run, id, 'failed', message);
    }
  }

  /** `started`: the command began before a cancel, so what became of it is still told. */
  private mark(run: Run, serverId: string, status: 'sent' | 'failed', error?: string, started = false): void {
    const r = run.view.results.find((x) => x.serverId === serverId);
    if (!r || (r.status !== 'pending' && !(started && r.status === 'cancelled'))) return;
    r.status = status;
    r.at = this.ports.clock.now();
    if (error !== undefined) r.error = error;
    this.ports.emit(copy(run.view));
  }

  /** Waits on the injected clock; a cancel wakes it early. */
  private sleepUntil(run: Run, at: number): Promise<void> {
    const ms = at - this.ports.clock.now();
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      run.wake = () => {
        run.wake = undefined;
        resolve();
      };
      run.timer = this.ports.clock.setTimeout(() => {
        run.timer = undefined;
        run.wake?.();
      }, ms);
    });
  }

  private require(id: string): Run {
    const run = this.runs.get(id);
    if (!run) throw notFound(`Bulk run "${id}"`);
    return run;
  }
}

const plan = (run: Run): BulkPlanView => run.view.plan;

function copy(view: BulkRunView): BulkRunView {
  return structuredClone(view);
}

export function describeTarget(target: BulkTarget): string {
  const parts = [target.group !== undefined ? `group "${target.group}"` : '', target.tag !== undefined ? `tag "${target.tag}"` : '', target.servers ? 'the servers named' : ''].filter(Boolean);
  return parts.join(' with ');
}
