import { wolOffBlock, wolOffInterface } from '../../shared/wol-readiness';
import { isTransitional } from '../../shared/power';
import type { DesiredPower, PowerAction, PowerCapabilities, ServerConfig } from '../../shared/server';
import { notFound } from '../base/errors';
import { createLoop, type Loop } from '../base/loop';
import { DESIRED_AFTER, type StartCommand } from './commands';
import type { PowerHost } from './ports';
import { planReconcile, pruneMemory, recordAttempt, type AttemptMemory } from './reconcile';
import type { ControllerSettings } from './settings';
import type { PowerBook } from './state';

/** Saves the state the admin wants a server in (none: leave it as it is). */
export function writeDesired(host: PowerHost, id: string, desired: DesiredPower | null): void {
  host.updateServer(id, (s) => {
    const { desired: _old, ...rest } = s;
    return desired ? { ...rest, desired } : rest;
  });
}

/**
 * The reconcile loop (every 10 s): plans with the pure planner and sends what it says, with
 * backoff between attempts; a desired state that cannot be reached is told once per reason and
 * shown on the card until it can be.
 */
export class ReconcileLoop {
  private readonly loop: Loop;
  private running = false;
  private memory = new Map<string, AttemptMemory>();
  /** Servers whose reconcile the admin cancelled: left alone until their desired state is set again. */
  private readonly held = new Set<string>();

  constructor(
    private readonly host: PowerHost,
    private readonly book: PowerBook,
    private readonly settings: ControllerSettings,
    private readonly capabilities: (server: ServerConfig) => PowerCapabilities,
    private readonly command: StartCommand,
  ) {
    this.loop = createLoop('reconcile', settings.reconcileMs, () => this.reconcile(), host);
  }

  start(): void {
    this.running = true;
    this.loop.start();
  }

  stop(): void {
    this.running = false;
    this.loop.stop();
  }

  /** A new desired state starts afresh: no backoff, no blocked reason, and no error the loop showed. */
  desiredChanged(id: string): void {
    this.memory.delete(id);
    this.held.delete(id);
    const record = this.book.peek(id);
    if (record) {
      delete record.blocked;
      if (record.error?.action === undefined) delete record.error;
    }
    if (this.running) void this.loop.kick();
  }

  forget(id: string): void {
    this.memory.delete(id);
    this.held.delete(id);
  }

  /**
   * The admin cancelled what the loop was doing for this server: it stops trying (no retry on
   * the next pass) until the desired state is set again, and the card says so.
   */
  hold(id: string, desired: string, cancelled?: { action: PowerAction; message: string }): void {
    this.held.add(id);
    const record = this.book.of(id);
    delete record.blocked;
    const onHold = `reconcile to ${desired} on hold: set the desired state again to resume it`;
    record.error = cancelled ? { action: cancelled.action, message: `${cancelled.message}; ${onHold}`, at: this.host.clock.now() } : { message: `Cancelled by the admin; ${onHold}`, at: this.host.clock.now() };
    this.host.changed(id);
  }

  isHeld(id: string): boolean {
    return this.held.has(id);
  }

  /** One reconcile pass: plan with the pure planner, then send what it says. */
  async reconcile(): Promise<void> {
    const now = this.host.clock.now();
    const servers = this.host.servers();
    // A held server is planned as if it wanted nothing: the admin cancelled its attempts.
    const rows = servers.map((s) => {
      const power = this.host.runtime(s.id)?.power ?? 'unknown';
      const wolOff = wolOffInterface({ ...s, system: this.book.peek(s.id)?.system });
      return {
        id: s.id,
        name: s.name,
        power,
        transitioning: isTransitional(power),
        capabilities: this.capabilities(s),
        ...(s.parentId ? { parentId: s.parentId } : {}),
        ...(s.desired && !this.held.has(s.id) ? { desired: s.desired } : {}),
        ...(wolOff ? { wakeBlocked: wolOffBlock(wolOff.name) } : {}),
      };
    });
    const policy = this.settings.reconcilePolicy;
    this.memory = pruneMemory(this.memory, rows);
    const steps = planReconcile(rows, this.memory, now, policy);
    const stillBlocked = new Set<string>();
    for (const step of steps) {
      const server = servers.find((s) => s.id === step.id);
      if (step.kind === 'act') {
        this.memory = recordAttempt(this.memory, step.id, DESIRED_AFTER[step.action] ?? 'on', now, policy);
        try {
          if (!server) throw notFound(`Server "${step.id}"`);
          // The planner already refused to power down a parent under running children.
          this.command(server, step.action, { confirm: true, fromReconcile: true });
        } catch (error) {
          this.host.log.warn(`reconcile: ${step.action} ${step.id} refused: ${(error as Error).message}`);
        }
      } else if (step.kind === 'blocked') {
        stillBlocked.add(step.id);
        const record = this.book.of(step.id);
        if (record.blocked === step.reason) continue;
        record.blocked = step.reason;
        record.error = { message: `Desired ${server?.desired ?? 'state'} cannot be reached: ${step.reason}`, at: now };
        this.host.changed(step.id);
        this.host.notify({ level: 'warning', title: `${server?.name ?? step.id} cannot reach its desired state`, body: step.reason, serverId: step.id });
      }
    }
    for (const id of this.book.ids()) {
      const record = this.book.peek(id);
      if (record?.blocked === undefined || stillBlocked.has(id)) continue;
      delete record.blocked;
      if (record.error?.action === undefined) {
        delete record.error;
        this.host.changed(id);
      }
    }
  }
}
