import { isTransitional } from '../../shared/power';
import type { PowerAction, ServerConfig } from '../../shared/server';
import { VERB } from './commands';
import { ancestorDeadline, firstAncestorDown } from './family';
import { concludeGuest, isProxmoxGuest, type GuestPowerDriver, type GuestReading, type GuestTask } from './guests';
import { isUp } from './machine';
import type { PowerHost } from './ports';
import { budgetOf, type ControllerSettings } from './settings';
import type { PowerBook } from './state';
import type { Transitions } from './transitions';

/**
 * Guest commands through the Proxmox capability's port. A guest's progress is its Proxmox task,
 * followed about every second by that capability: only the deadline is watched here (probing a
 * guest would refresh the whole cluster), and the end is what Proxmox read back after the task.
 */
export class GuestRuns {
  private driver: GuestPowerDriver | undefined;

  constructor(
    private readonly host: PowerHost,
    private readonly book: PowerBook,
    private readonly transitions: Transitions,
    private readonly settings: ControllerSettings,
  ) {}

  /** The Proxmox capability drives the power of its guests (engine wiring; ProxmoxService fits). */
  attach(driver: GuestPowerDriver): void {
    this.driver = driver;
  }

  get attached(): boolean {
    return this.driver !== undefined;
  }

  /** A bound Proxmox guest, once the Proxmox capability is there to drive it (else it is a plain server). */
  isGuest(server: ServerConfig): boolean {
    return this.driver !== undefined && isProxmoxGuest(server);
  }

  /**
   * A Proxmox reading of a guest while a command of ours holds it: kept as the latest word from
   * Proxmox and not applied, since the command's end decides from the state read back after its
   * task. Returns false when no such command runs (the reading is then applied as usual).
   */
  takeReading(id: string, reading: GuestReading): boolean {
    const run = this.book.peek(id)?.guestRun;
    if (!run) return false;
    run.reading = reading;
    return true;
  }

  /**
   * A guest command through Proxmox. Its node (and the host under it) is woken by the Proxmox
   * capability before a start, through `ensureAwake`, so it is not done here as well. The end
   * state is the one Proxmox reports after the task; a command that could not even start
   * restores the state before it and asks Proxmox again.
   */
  async run(server: ServerConfig, action: PowerAction): Promise<void> {
    const id = server.id;
    const driver = this.driver;
    try {
      if (!driver) throw new Error('the Proxmox capability is not attached');
      const asleep = action === 'wake' ? firstAncestorDown(this.host.servers(), server, (p) => this.host.runtime(p)?.power ?? 'unknown') : undefined;
      this.transitions.setStep(server, action, asleep ? `waking ${asleep.name} first, then asking Proxmox to start it` : `asking Proxmox to ${VERB[action]} it`);
      const task = await driver.runPowerAction(id, action);
      this.transitions.setStep(server, action, `Proxmox task ${task.type} running`);
      this.conclude(server, action, await driver.waitTask(task.upid));
    } catch (error) {
      const ours = this.book.peek(id)?.guestRun !== undefined;
      this.book.endGuestRun(id);
      if (!ours) return; // its deadline passed first and already concluded it
      this.transitions.fail(server, action, error);
      void this.host.probe(id).catch((e: unknown) => this.host.log.warn(`reading ${id} back from Proxmox failed`, e));
    }
  }

  private conclude(server: ServerConfig, action: PowerAction, task: GuestTask): void {
    const id = server.id;
    const run = this.book.peek(id)?.guestRun;
    const rt = this.host.runtime(id);
    // Past its deadline the command was concluded already and this reading went the usual way.
    if (!run || !rt?.transition || rt.transition.action !== action || !isTransitional(rt.power)) return;
    this.book.endGuestRun(id);
    const t = rt.transition;
    const end = concludeGuest(action, task, run.reading, t.from);
    const now = this.host.clock.now();
    const reading = run.reading?.power === end.power ? run.reading : undefined;
    const detail = end.outcome === 'failed' ? end.message : reading?.detail;
    const { transition: _t, detail: _d, ...rest } = rt;
    this.host.setRuntime(id, { ...rest, power: end.power, since: now, ...(isUp(end.power) ? { lastSeen: now } : {}), ...(detail ? { detail } : {}) });
    if (end.outcome === 'reached') {
      this.transitions.settle(id, server, t, 'reached');
      return;
    }
    this.book.of(id).error = { action, message: end.message, at: now, ...(end.hint ? { hint: end.hint } : {}) };
    this.host.changed(id);
    this.host.log.warn(`${action} ${id} through Proxmox failed: ${end.message}`);
    // A failed task was told by the Proxmox capability already: one notice, not two.
    this.transitions.settle(id, server, t, 'failed', { detail: end.message, ...(end.hint ? { hint: end.hint } : {}), quiet: end.told });
  }

  /** Arms the deadline of a guest command. */
  watch(id: string): void {
    const run = this.book.peek(id)?.guestRun;
    const deadline = this.host.runtime(id)?.transition?.deadline;
    if (!run || deadline === undefined) return;
    if (run.timer !== undefined) this.host.clock.clearTimeout(run.timer);
    run.timer = this.host.clock.setTimeout(() => this.deadline(id), Math.max(0, deadline - this.host.clock.now()));
  }

  private deadline(id: string): void {
    const run = this.book.peek(id)?.guestRun;
    if (!run) return;
    run.timer = undefined;
    const rt = this.host.runtime(id);
    const servers = this.host.servers();
    const server = servers.find((s) => s.id === id);
    const t = rt?.transition;
    if (!rt || !t || !server || !isTransitional(rt.power)) return this.book.endGuestRun(id);
    const now = this.host.clock.now();
    // Waiting for its node (or the host under it) to wake must not eat the guest's own time.
    const parentDeadline = ancestorDeadline(servers, server, (p) => this.host.runtime(p));
    const budget = budgetOf(this.settings, server, t.action);
    if (parentDeadline !== undefined && now < parentDeadline + budget) {
      const deadline = Math.max(t.deadline, parentDeadline + budget);
      if (deadline > t.deadline) this.host.setRuntime(id, { ...rt, transition: { ...t, deadline } });
      return this.watch(id);
    }
    if (now < t.deadline) return this.watch(id);
    this.book.endGuestRun(id);
    // Not confirmed in time: show the last word from Proxmox (or what it was before); the task's
    // own end, whenever it comes, is then applied like any reading.
    const minutes = Math.round((t.deadline - t.startedAt) / 60_000);
    const span = minutes >= 1 ? `${minutes} min` : `${Math.round((t.deadline - t.startedAt) / 1000)} s`;
    const detail = `Proxmox did not confirm the ${VERB[t.action]} within ${span}`;
    const power = run.reading?.power ?? (isTransitional(t.from) ? 'unknown' : t.from);
    const { transition: _t, detail: _d, ...rest } = rt;
    this.host.setRuntime(id, { ...rest, power, since: now, detail });
    this.transitions.settle(id, server, t, 'timeout', { detail });
  }
}
