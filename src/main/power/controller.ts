import type { SecretField, WolReport } from '../../shared/contract/power';
import type { DesiredPower, PowerAction, PowerCapabilities, ServerConfig, ServerView } from '../../shared/server';
import { HandlerError, notFound } from '../base/errors';
import type { HostKeyMismatch } from '../drivers/ssh/model';
import type { WolSender } from '../drivers/wol/model';
import type { RemoteShell } from '../health/hooks';
import { findServer } from '../inventory/inventory';
import type { RuntimeState } from '../inventory/status';
import { HostActuation } from './actuate';
import { HostKeys } from './host-keys';
import { checkCommand, DESIRED_AFTER, type CommandOptions, type StartCommand } from './commands';
import { runningChildren } from './family';
import { GuestRuns } from './guest-runs';
import type { GuestPowerDriver, GuestReading } from './guests';
import { InitLoop } from './init-loop';
import { LOCAL_COMMANDS_OFF } from './local-commands';
import { isUp, type Outcome } from './machine';
import { Parents } from './parents';
import type { PowerControllerOptions, PowerHost } from './ports';
import { ReconcileLoop, writeDesired } from './reconcile-loop';
import { ServerAccess } from './server-access';
import { settingsOf } from './settings';
import { PowerBook } from './state';
import { Transitions, type PowerActionEvent } from './transitions';
import { PowerViews } from './views';
import { sendTestPacket } from './wol-test';

export type { PowerControllerOptions, PowerHost, PowerPorts, PowerSecrets, PowerSsh, PowerTuning, SshTargetResolver } from './ports';
export type { PowerActionEvent } from './transitions';
export { PowerCommandError } from './failures';
export { DEFAULT_COMMAND_TIMEOUT_MS } from './settings';

/**
 * Power control, as the faces and other capabilities see it. Each request resolves its server
 * once and hands the config down; the work is done by the parts: the checks (commands), the
 * transition lifecycle (transitions), host and guest actuation (actuate, guest-runs), parents
 * first (parents), the init and reconcile loops, SSH access and secrets (server-access), and the
 * card (views). Every decision is the pure core's (machine, reconcile, init, guests); the drivers
 * and stores come in as ports, so nothing here touches the outside world.
 */
export class PowerController {
  private readonly book: PowerBook;
  private readonly transitions: Transitions;
  private readonly access: ServerAccess;
  private readonly guests: GuestRuns;
  private readonly parents: Parents;
  private readonly actuation: HostActuation;
  private readonly initLoop: InitLoop;
  private readonly reconcileLoop: ReconcileLoop;
  private readonly views: PowerViews;
  private readonly wol: WolSender;
  private readonly localAllowed: () => boolean;
  /** Host keys checked and trusted from any face (issue 13). */
  readonly hostKeys: HostKeys;

  constructor(
    private readonly host: PowerHost,
    private readonly options: PowerControllerOptions,
  ) {
    this.wol = options.wol;
    this.localAllowed = () => options.localCommandsAllowed?.() ?? false;
    const settings = settingsOf(options);
    const command: StartCommand = (server, action, opts) => this.command(server, action, opts);
    this.book = new PowerBook(host.clock);
    this.transitions = new Transitions(host, this.book, settings);
    this.access = new ServerAccess(host, this.book, options, settings.commandTimeoutMs);
    this.guests = new GuestRuns(host, this.book, this.transitions, settings);
    this.parents = new Parents(host, this.transitions, command);
    this.actuation = new HostActuation(host, this.book, this.access, this.transitions, this.parents, options, settings.commandTimeoutMs);
    this.initLoop = new InitLoop(host, this.book, this.access, settings, (id) => this.keepFacts(id));
    this.loadFacts();
    this.hostKeys = new HostKeys(host, this.access, options.hostKeys);
    this.views = new PowerViews(host, this.book, this.access, () => this.guests.attached);
    this.reconcileLoop = new ReconcileLoop(host, this.book, settings, (s) => this.views.capabilities(s), command);
  }

  /** What earlier inits found (another process, or before a restart): a damaged file is told, not fatal. */
  private loadFacts(): void {
    try {
      for (const [id, facts] of Object.entries(this.options.initFacts?.all() ?? {})) {
        if (this.host.servers().some((s) => s.id === id)) this.book.of(id).system = facts;
      }
    } catch (error) {
      this.host.log.warn('what earlier inits found could not be read', error);
    }
  }

  private keepFacts(id: string): void {
    try {
      this.options.initFacts?.put(id, this.book.peek(id)?.system);
    } catch (error) {
      this.host.log.warn(`what init found on ${id} could not be saved`, error);
    }
  }

  // ---- lifecycle ----

  start(): void {
    this.reconcileLoop.start();
    this.initLoop.start();
  }

  stop(): void {
    this.reconcileLoop.stop();
    this.initLoop.stop();
    this.book.stopAll();
    this.access.close();
  }

  /** The Proxmox capability drives the power of its guests (engine wiring; ProxmoxService fits). */
  attachGuests(driver: GuestPowerDriver): void {
    this.guests.attach(driver);
  }

  /** A server left the inventory: drop everything kept about it, secrets included. */
  forget(id: string): void {
    this.book.forget(id);
    this.keepFacts(id);
    this.reconcileLoop.forget(id);
    this.access.forgetSecrets(id);
  }

  /** The SSH pool refused a pinned host key (the construction site wires the pool's `onHostKeyMismatch` here). */
  hostKeyMismatch(mismatch: HostKeyMismatch): void {
    this.access.hostKeyMismatch(mismatch);
  }

  /** The SSH pool pinned a key on first contact (the construction site wires the pool's `onPinned` here). */
  hostKeyPinned(endpoint: string, key: { keyType: string; fingerprint: string }): void {
    this.access.hostKeyPinned(endpoint, key);
  }

  // ---- commands ----

  /**
   * Starts `action` on a server: validated at once (capability, state, running children), the
   * transitional state set before this returns, the command itself sent in the background.
   */
  run(ref: string, action: PowerAction, opts: CommandOptions = {}): string {
    return this.command(this.require(ref), action, opts, ref);
  }

  /**
   * Before a command on a Proxmox guest whose state is not known yet (a fresh process, its
   * cluster not asked since it started), its cluster is asked first: the command is then checked
   * against what the guest is (a hibernated VM's wake becomes its resume, a running VM's
   * shutdown is not refused as "state not known"). Other servers are left as they are.
   */
  async prepare(ref: string): Promise<void> {
    const server = this.require(ref);
    if (!this.guests.isGuest(server) || this.host.runtime(server.id)?.power !== 'unknown') return;
    await this.host.probe(server.id).catch((error: unknown) => this.host.log.warn(`reading ${server.id} from Proxmox before a command failed`, error));
  }

  /** Every power command that begins and ends (the monitoring capability logs them). */
  onAction(listener: (event: PowerActionEvent) => void): () => void {
    return this.transitions.onAction(listener);
  }

  /** Resolves once the command of the current transition has been sent (or failed to be). */
  sent(id: string): Promise<void> {
    return this.transitions.sent(id);
  }

  /** Resolves when the server is no longer transitional: target reached, timed out, or failed. */
  waitSettled(id: string): Promise<Outcome> {
    return this.transitions.waitSettled(id);
  }

  /** Wakes a server for another capability (a guest's node before its guest) and resolves once it settled. */
  ensureAwake(id: string): Promise<Outcome> {
    const server = this.host.servers().find((s) => s.id === id);
    return server ? this.parents.ensureAwake(server) : Promise.resolve('failed');
  }

  /** A Proxmox reading of a guest while a command of ours holds it: kept, not applied (false when none runs). */
  takeReading(id: string, reading: GuestReading): boolean {
    return this.guests.takeReading(id, reading);
  }

  setDesired(ref: string, desired: DesiredPower | null): string {
    const server = this.require(ref);
    writeDesired(this.host, server.id, desired);
    this.reconcileLoop.desiredChanged(server.id);
    return server.id;
  }

  /**
   * Stops what power is doing to a server: its running transition (a command not yet sent is
   * not sent) and the reconcile loop's attempts, held until the desired state is set again.
   * Refused when there is neither.
   */
  cancel(ref: string): string {
    const server = this.require(ref);
    const action = this.host.runtime(server.id)?.transition?.action;
    const stopped = this.transitions.cancel(server);
    if (server.desired) {
      const shown = this.book.peek(server.id)?.error;
      this.reconcileLoop.hold(server.id, server.desired, stopped && action && shown ? { action, message: shown.message } : undefined);
    }
    if (!stopped && !server.desired) throw new HandlerError('conflict', `${server.name} has no power transition running and no desired state to reconcile: nothing to cancel.`);
    return server.id;
  }

  acceptHostKey(ref: string): string {
    const server = this.require(ref);
    this.access.acceptHostKey(server);
    return server.id;
  }

  sendWol(input: { mac: string; address?: string | undefined; port?: number | undefined; password?: string | undefined }): Promise<WolReport> {
    return sendTestPacket(this.wol, input);
  }

  setSecret(ref: string, name: SecretField, value: string | null): string {
    const server = this.require(ref);
    this.access.setSecret(server, name, value);
    return server.id;
  }

  /** Runs init now; resolves when it finished (the card shows the result either way). */
  async initNow(ref: string): Promise<string> {
    const server = this.require(ref);
    await this.initLoop.initNow(server);
    return server.id;
  }

  async useInterface(ref: string, iface: string, enableWol: boolean): Promise<string> {
    const server = this.require(ref);
    await this.initLoop.useInterface(server, iface, enableWol);
    return server.id;
  }

  /** A shell on a server over the pooled, pinned SSH connection, for other capabilities (the agent installer). */
  async shellFor(ref: string): Promise<RemoteShell> {
    return this.access.shellFor(this.require(ref));
  }

  /** One reconcile pass (the loop runs it every 10 s). */
  reconcile(): Promise<void> {
    return this.reconcileLoop.reconcile();
  }

  // ---- what the card shows ----

  capabilities(server: ServerConfig): PowerCapabilities {
    return this.views.capabilities(server);
  }

  viewExtras(server: ServerConfig, rt: RuntimeState): Partial<ServerView> {
    return this.views.viewExtras(server, rt);
  }

  // ---- observations (called by the Engine after every probe) ----

  observed(id: string, prev: RuntimeState, next: RuntimeState): void {
    this.transitions.observed(id, this.host.servers().find((s) => s.id === id), prev, next);
    if (isUp(next.power) && !isUp(prev.power)) this.initLoop.maybeInit(id);
  }

  // ---- internals ----

  /** A command on a resolved server: checked, its transition begun, its sending left running. */
  private command(server: ServerConfig, action: PowerAction, opts: CommandOptions, ref = server.id): string {
    const id = server.id;
    const rt = this.host.runtime(id);
    if (!rt) throw notFound(`Server "${ref}"`);
    checkCommand({
      server,
      power: rt.power,
      capabilities: this.views.capabilities(server),
      action,
      confirm: opts.confirm === true,
      runningChildren: () => runningChildren(this.host.servers(), id, (c) => this.host.runtime(c)?.power ?? 'unknown'),
    });
    // Refused before any state changes, so the card says why instead of a failed transition.
    if (server.powerControl?.customCommands?.[action]?.runOn === 'local' && !this.localAllowed()) throw new HandlerError('conflict', `${LOCAL_COMMANDS_OFF}.`);
    // A manual command states what the admin wants now; a desired state set earlier follows it
    // instead of fighting it on the next reconcile.
    const after = DESIRED_AFTER[action];
    if (!opts.fromReconcile && server.desired && after && server.desired !== after) writeDesired(this.host, id, after);
    const guest = this.guests.isGuest(server);
    this.transitions.begin(server, action, guest);
    if (guest) this.guests.watch(id);
    else this.transitions.schedulePoll(id);
    this.transitions.emit({ serverId: id, action, phase: 'started', at: this.host.clock.now(), ...(opts.fromReconcile ? { fromReconcile: true } : {}) });
    const sending = guest ? this.guests.run(server, action) : this.actuation.run(server, action);
    this.transitions.track(
      id,
      sending.catch((error: unknown) => this.transitions.fail(server, action, error)),
    );
    return id;
  }

  private require(ref: string): ServerConfig {
    const server = findServer(this.host.servers(), ref);
    if (!server) throw notFound(`Server "${ref}"`);
    return server;
  }
}
