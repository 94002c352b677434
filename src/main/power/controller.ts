import type { WolReport, SecretField } from '../../shared/contract/power';
import type { Notice } from '../../shared/events';
import { isTransitional } from '../../shared/power';
import type { CustomCommand, DesiredPower, PowerAction, PowerCapabilities, ServerConfig, ServerView, SystemInfoView } from '../../shared/server';
import { KnownHostsStore } from '../store/known-hosts';
import { keyFileEncryptor, SecretsStore, type Encryptor } from '../store/secrets';
import {
  enableWolCommand,
  endpointOf,
  gatherSystemFacts,
  HostKeyMismatchError,
  localArgv,
  runLocal,
  runSshPower,
  SshError,
  SshPool,
  sshTargetFor,
  validatedPlaceholders,
  type HostKeyMismatch,
  type SshExec,
  type SshTarget,
} from '../drivers/ssh';
import { describeSendFailure, LIMITED_BROADCAST, magicPacket, MacError, parseMac, parseSecureOn, sendWol, wakeServer, type WolSender } from '../drivers/wol';
import type { Clock, TimerHandle } from '../base/clock';
import type { RemoteShell } from '../health/hooks';
import { HandlerError, notFound } from '../base/errors';
import { findServer } from '../inventory/inventory';
import type { Logger } from '../base/logger';
import { createLoop, type Loop } from '../base/loop';
import { capabilitiesIn, capabilitiesOf } from './capabilities';
import { concludeGuest, GUEST_TARGET, isProxmoxGuest, type GuestPowerDriver, type GuestReading, type GuestTask } from './guests';
import {
  afterInitFailure,
  afterInitSuccess,
  DEFAULT_INIT_POLICY,
  freshInit,
  initDue,
  parseIpLink,
  systemInfoFromFacts,
  type InitPolicy,
  type InitRecord,
} from './init';
import { begin, canStart, DEFAULT_TIMEOUTS, fail, isUp, timeoutOf, timeoutsFor, type Outcome, type PowerTimeouts, type Transition } from './machine';
import { TIMEOUT_HINTS, transitionNotice } from './notices';
import { DEFAULT_RECONCILE_POLICY, planReconcile, pruneMemory, recordAttempt, type AttemptMemory, type ReconcilePolicy } from './reconcile';
import type { RuntimeState } from '../inventory/status';

/** What the controller needs of the Engine; the Engine builds it from its private state. */
export interface PowerHost {
  readonly clock: Clock;
  readonly log: Logger;
  servers(): readonly ServerConfig[];
  runtime(id: string): RuntimeState | undefined;
  /** Replaces a server's runtime state and publishes it (patch, and a notice for a power change). */
  setRuntime(id: string, next: RuntimeState): void;
  /** Probes one server now; its observation comes back through `observed`. */
  probe(id: string): Promise<void>;
  notify(notice: Omit<Notice, 'id' | 'at'> & { at?: number }): void;
  /** Something shown on the card changed outside the runtime state (an error, a host key, init results). */
  changed(id: string): void;
  /** Saves a change to one server's config, with the inventory's checks. */
  updateServer(id: string, change: (server: ServerConfig) => ServerConfig): void;
}

/** The SSH the controller uses: the pool in production, a fake in unit tests. */
export interface PowerSsh extends SshExec {
  acceptHostKey(mismatch: HostKeyMismatch): void;
  close(target?: Pick<SshTarget, 'host' | 'port'>): void;
}

export interface PowerControllerOptions {
  home: string;
  encryptor?: Encryptor;
  ssh?: PowerSsh;
  wol?: WolSender;
  runLocal?: typeof runLocal;
  /** Where `~/.ssh` default keys are looked for. */
  userHome?: string;
  fastPollMs?: number;
  reconcileMs?: number;
  initMs?: number;
  commandTimeoutMs?: number;
  timeouts?: Partial<PowerTimeouts>;
  reconcilePolicy?: Partial<ReconcilePolicy>;
  initPolicy?: Partial<InitPolicy>;
}

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

/** A power command that ran and was refused: the message says what happened, the hint what to try. */
export class PowerCommandError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'PowerCommandError';
  }
}

const VERB: Record<PowerAction, string> = { wake: 'wake', suspend: 'suspend', hibernate: 'hibernate', shutdown: 'shut down', reboot: 'reboot' };
const DESIRED_AFTER: Record<PowerAction, DesiredPower | undefined> = { wake: 'on', suspend: 'suspended', hibernate: 'suspended', shutdown: 'off', reboot: undefined };

interface Failure {
  action?: PowerAction | 'init';
  message: string;
  hint?: string;
  at: number;
}

/**
 * The glue between the pure power core and the drivers: runs commands (WoL, SSH, custom), sets
 * and ends transitional states, polls a transitional server about every second until its target
 * or deadline, and runs the reconcile (10 s) and init (1 h) loops. Every decision is delegated
 * to core/power; this file only sequences I/O.
 */
export class PowerController {
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly fastPollMs: number;
  private readonly commandTimeoutMs: number;
  private readonly defaults: PowerTimeouts;
  private readonly reconcilePolicy: ReconcilePolicy;
  private readonly initPolicy: InitPolicy;
  private readonly wol: WolSender;
  private readonly local: typeof runLocal;
  private readonly reconcileLoop: Loop;
  private readonly initLoop: Loop;
  private started = false;

  private sshImpl: PowerSsh | undefined;
  private secretsImpl: SecretsStore | undefined;
  private readonly errors = new Map<string, Failure>();
  private readonly mismatches = new Map<string, HostKeyMismatch & { at: number }>();
  private readonly system = new Map<string, Omit<SystemInfoView, 'initFailures'>>();
  private readonly inits = new Map<string, InitRecord>();
  private readonly initRunning = new Map<string, Promise<void>>();
  private readonly initTimers = new Map<string, TimerHandle>();
  private readonly polls = new Map<string, TimerHandle>();
  private readonly waiters = new Map<string, Set<(outcome: Outcome) => void>>();
  private readonly lastOutcome = new Map<string, Outcome>();
  private readonly inflight = new Map<string, Promise<void>>();
  private readonly blocked = new Map<string, string>();
  private memory = new Map<string, AttemptMemory>();
  private readonly initSlots = limiter(4);
  private readonly actionListeners = new Set<(event: PowerActionEvent) => void>();
  /** Proxmox guests are driven through their cluster's API once the Proxmox capability is attached. */
  private guestDriver: GuestPowerDriver | undefined;
  /** Guests with a command of ours in flight: the last Proxmox reading seen, and the deadline timer. */
  private readonly guestRuns = new Map<string, { reading?: GuestReading; timer?: TimerHandle }>();

  constructor(
    private readonly host: PowerHost,
    private readonly options: PowerControllerOptions,
  ) {
    this.clock = host.clock;
    this.log = host.log;
    this.fastPollMs = options.fastPollMs ?? 1_000;
    this.commandTimeoutMs = options.commandTimeoutMs ?? 20_000;
    this.defaults = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.reconcilePolicy = { ...DEFAULT_RECONCILE_POLICY, ...options.reconcilePolicy };
    this.initPolicy = { ...DEFAULT_INIT_POLICY, ...options.initPolicy };
    this.wol = options.wol ?? sendWol;
    this.local = options.runLocal ?? runLocal;
    this.sshImpl = options.ssh;
    this.reconcileLoop = createLoop('reconcile', options.reconcileMs ?? 10_000, () => this.reconcile(), host);
    this.initLoop = createLoop('init', options.initMs ?? 3_600_000, () => this.initSweep(), host);
  }

  // ---- lifecycle ----

  start(): void {
    this.started = true;
    this.reconcileLoop.start();
    this.initLoop.start();
  }

  stop(): void {
    this.started = false;
    this.reconcileLoop.stop();
    this.initLoop.stop();
    for (const t of this.polls.values()) this.clock.clearTimeout(t);
    for (const t of this.initTimers.values()) this.clock.clearTimeout(t);
    this.polls.clear();
    this.initTimers.clear();
    for (const id of [...this.guestRuns.keys()]) this.endGuestRun(id);
    this.sshImpl?.close();
  }

  /** The Proxmox capability drives the power of its guests (engine wiring; ProxmoxService fits). */
  attachGuests(driver: GuestPowerDriver): void {
    this.guestDriver = driver;
  }

  /** A server left the inventory: drop everything kept about it, secrets included. */
  forget(id: string): void {
    for (const map of [this.errors, this.system, this.inits, this.lastOutcome, this.blocked, this.memory]) map.delete(id);
    const poll = this.polls.get(id);
    if (poll !== undefined) this.clock.clearTimeout(poll);
    this.polls.delete(id);
    const timer = this.initTimers.get(id);
    if (timer !== undefined) this.clock.clearTimeout(timer);
    this.initTimers.delete(id);
    this.endGuestRun(id);
    try {
      this.secrets.removeServer(id);
    } catch (error) {
      this.log.warn(`could not remove the secrets of ${id}`, error);
    }
  }

  // ---- commands ----

  /**
   * Starts `action` on a server: validated at once (capability, state, running children), the
   * transitional state set before this returns, the command itself sent in the background.
   */
  run(ref: string, action: PowerAction, opts: { confirm?: boolean; fromReconcile?: boolean } = {}): string {
    const server = this.require(ref);
    const rt = this.host.runtime(server.id);
    if (!rt) throw notFound(`Server "${ref}"`);
    const caps = this.capabilities(server);
    if (!caps[action]) throw new HandlerError('bad_request', `Cannot ${VERB[action]} ${server.name}: ${missingCapability(action)}`);
    const can = canStart(rt.power, action);
    if (!can.ok) throw new HandlerError('conflict', `Cannot ${VERB[action]} ${server.name}: ${can.reason}`);
    if (action !== 'wake' && !opts.confirm) {
      const kids = this.runningChildren(server.id);
      if (kids.length > 0) {
        throw new HandlerError('conflict', `${server.name} still runs ${kids.map((k) => k.name).join(', ')}, which would go down with it. Confirm to ${VERB[action]} it anyway.`, {
          confirm: 'required',
        });
      }
    }
    // A manual command states what the admin wants now; a desired state set earlier follows it
    // instead of fighting it on the next reconcile.
    const after = DESIRED_AFTER[action];
    if (!opts.fromReconcile && server.desired && after && server.desired !== after) this.writeDesired(server.id, after);
    this.beginTransition(server.id, action);
    this.emitAction({ serverId: server.id, action, phase: 'started', at: this.clock.now(), ...(opts.fromReconcile ? { fromReconcile: true } : {}) });
    const sent = this.actuate(server.id, action).catch((error: unknown) => this.failTransition(server.id, action, error));
    this.inflight.set(server.id, sent);
    void sent.finally(() => {
      if (this.inflight.get(server.id) === sent) this.inflight.delete(server.id);
    });
    return server.id;
  }

  /** Every power command that begins and ends (the monitoring capability logs them). */
  onAction(listener: (event: PowerActionEvent) => void): () => void {
    this.actionListeners.add(listener);
    return () => this.actionListeners.delete(listener);
  }

  private emitAction(event: PowerActionEvent): void {
    for (const listener of this.actionListeners) {
      try {
        listener(event);
      } catch (error) {
        this.log.warn('a power action listener failed', error);
      }
    }
  }

  /** Resolves once the command of the current transition has been sent (or failed to be). */
  sent(id: string): Promise<void> {
    return this.inflight.get(id) ?? Promise.resolve();
  }

  /** Resolves when the server is no longer transitional: target reached, timed out, or failed. */
  waitSettled(id: string): Promise<Outcome> {
    const rt = this.host.runtime(id);
    if (!rt || !isTransitional(rt.power)) return Promise.resolve(this.lastOutcome.get(id) ?? 'reached');
    return new Promise((resolve) => {
      let set = this.waiters.get(id);
      if (!set) this.waiters.set(id, (set = new Set()));
      set.add(resolve);
    });
  }

  /**
   * Wakes a server for another capability (a guest's node before the guest starts) and resolves
   * once it settled. A wake already under way (the reconcile loop's, the admin's) is waited for
   * rather than refused, so the two never both send it.
   */
  async ensureAwake(id: string): Promise<Outcome> {
    for (let round = 0; round < 3; round++) {
      const rt = this.host.runtime(id);
      if (!rt) return 'failed';
      if (isUp(rt.power)) return 'reached';
      if (isTransitional(rt.power)) {
        const outcome = await this.waitSettled(id);
        if (rt.power === 'waking') return outcome;
        continue;
      }
      this.run(id, 'wake', { fromReconcile: true });
      return this.waitSettled(id);
    }
    return isUp(this.host.runtime(id)?.power ?? 'unknown') ? 'reached' : 'failed';
  }

  /**
   * A Proxmox reading of a guest while a command of ours holds it: kept as the latest word from
   * Proxmox and not applied, since the command's end decides from the state read back after its
   * task. Returns false when no such command runs (the reading is then applied as usual).
   */
  takeReading(id: string, reading: GuestReading): boolean {
    const run = this.guestRuns.get(id);
    if (!run) return false;
    run.reading = reading;
    return true;
  }

  setDesired(ref: string, desired: DesiredPower | null): string {
    const server = this.require(ref);
    this.writeDesired(server.id, desired);
    this.memory.delete(server.id);
    this.blocked.delete(server.id);
    if (this.errors.get(server.id)?.action === undefined) this.errors.delete(server.id);
    if (this.started) void this.reconcileLoop.kick();
    return server.id;
  }

  acceptHostKey(ref: string): string {
    const server = this.require(ref);
    if (!server.ssh) throw new HandlerError('bad_request', `${server.name} has no SSH settings`);
    const endpoint = endpointOf(server.address, server.ssh.port);
    const mismatch = this.mismatches.get(endpoint);
    if (!mismatch) throw new HandlerError('conflict', `No changed host key of ${server.name} is waiting to be accepted`);
    const { at: _shownAt, ...presented } = mismatch;
    this.ssh.acceptHostKey(presented);
    this.ssh.close({ host: server.address, port: server.ssh.port });
    this.mismatches.delete(endpoint);
    for (const s of this.host.servers()) {
      if (s.ssh && endpointOf(s.address, s.ssh.port) === endpoint) {
        if (this.errors.get(s.id)?.message.includes('host key')) this.errors.delete(s.id);
        this.host.changed(s.id);
      }
    }
    this.host.notify({ level: 'info', title: `New host key of ${server.name} accepted`, body: `${mismatch.presented} is now pinned for ${endpoint}.`, serverId: server.id });
    return server.id;
  }

  async sendWol(input: { mac: string; address?: string | undefined; port?: number | undefined; password?: string | undefined }): Promise<WolReport> {
    let mac;
    try {
      mac = parseMac(input.mac);
    } catch (error) {
      throw new HandlerError('bad_request', (error as MacError).message, { mac: (error as MacError).message });
    }
    let password: Buffer | undefined;
    if (input.password) {
      try {
        password = parseSecureOn(input.password);
      } catch (error) {
        throw new HandlerError('bad_request', (error as Error).message, { password: (error as Error).message });
      }
    }
    const packet = magicPacket(mac, password);
    const results = await this.wol({ packet, targets: [{ address: input.address ?? LIMITED_BROADCAST, port: input.port ?? 9 }] });
    const failure = describeSendFailure(results);
    if (failure) throw new HandlerError('failed', failure);
    return { mac: mac.text, bytes: packet.length, sent: results.map((r) => ({ ...r.target, ok: r.ok, ...(r.error ? { error: r.error } : {}) })) };
  }

  setSecret(ref: string, name: SecretField, value: string | null): string {
    const server = this.require(ref);
    if (name === 'wol.password' && value) {
      try {
        parseSecureOn(value);
      } catch (error) {
        throw new HandlerError('bad_request', (error as Error).message, { value: (error as Error).message });
      }
    }
    this.secrets.set(server.id, name, value);
    // New credentials: a reused connection would keep the old login.
    if (name !== 'wol.password' && server.ssh) this.sshImpl?.close({ host: server.address, port: server.ssh.port });
    this.host.changed(server.id);
    return server.id;
  }

  /** Runs init now; resolves when it finished (the card shows the result either way). */
  async initNow(ref: string): Promise<string> {
    const server = this.require(ref);
    if (!server.ssh) throw new HandlerError('bad_request', `${server.name} has no SSH settings to initialise over`);
    await this.initOne(server.id);
    return server.id;
  }

  async useInterface(ref: string, iface: string, enableWol: boolean): Promise<string> {
    const server = this.require(ref);
    const info = this.system.get(server.id);
    const nic = info?.interfaces.find((i) => i.name === iface);
    if (!info || !nic) throw new HandlerError('bad_request', `${server.name} has no interface "${iface}" (run init first)`);
    if (enableWol) {
      if (!server.ssh) throw new HandlerError('bad_request', `${server.name} has no SSH settings`);
      const target = this.targetFor(server);
      const result = await this.ssh.exec(target, enableWolCommand(iface, server.powerControl?.useSudo ?? false), { timeoutMs: this.commandTimeoutMs });
      if (result.code !== 0) {
        throw new HandlerError('failed', `Enabling Wake-on-LAN on ${iface} failed: ${result.stderr.trim().split('\n')[0] || `exit ${result.code}`}`);
      }
      this.system.set(server.id, { ...info, interfaces: info.interfaces.map((i) => (i.name === iface ? { ...i, wolEnabled: true } : i)) });
    }
    const { suggestedMac: _used, ...rest } = this.system.get(server.id) ?? info;
    this.system.set(server.id, rest);
    this.host.updateServer(server.id, (s) => ({ ...s, mac: nic.mac }));
    return server.id;
  }

  /**
   * A shell on a server over the pooled, pinned SSH connection, for other capabilities (the
   * agent installer): commands are theirs to build from validated values; uploads go through
   * stdin, never through the command line.
   */
  async shellFor(ref: string): Promise<RemoteShell> {
    const server = this.require(ref);
    const target = this.targetFor(server);
    const exec = async (command: string, options: { stdin?: string; timeoutMs?: number } = {}) => {
      const r = await this.ssh.exec(target, command, { timeoutMs: options.timeoutMs ?? this.commandTimeoutMs, ...(options.stdin !== undefined ? { stdin: options.stdin } : {}) });
      this.sshWorked(server);
      // No exit status means the connection dropped: report it as ssh(1) does.
      return { code: r.code ?? 255, stdout: r.stdout, stderr: r.stderr };
    };
    return {
      exec,
      upload: async (content, remotePath, mode) => {
        if (!/^\/[A-Za-z0-9._/-]{1,255}$/.test(remotePath) || remotePath.includes('..')) throw new Error(`refusing to upload to "${remotePath}"`);
        if (!Number.isInteger(mode) || mode < 0 || mode > 0o7777) throw new Error(`bad file mode ${mode}`);
        const r = await this.ssh.exec(target, `umask 077 && cat > '${remotePath}' && chmod ${mode.toString(8)} '${remotePath}'`, {
          timeoutMs: this.commandTimeoutMs,
          stdin: content,
        });
        if (r.code !== 0) throw new Error(`upload to ${remotePath} failed: ${r.stderr.trim() || `exit ${r.code}`}`);
      },
    };
  }

  // ---- what the card shows ----

  capabilities(server: ServerConfig): PowerCapabilities {
    return capabilitiesIn(server, { guests: this.guestDriver !== undefined, parentOf: (s) => this.parentOf(s), system: (id) => this.system.get(id) });
  }

  viewExtras(server: ServerConfig, rt: RuntimeState): Partial<ServerView> {
    const extras: Partial<ServerView> = { capabilities: this.capabilities(server) };
    if (server.wol) extras.wol = server.wol;
    if (server.powerControl) extras.powerControl = server.powerControl;
    if (server.desired) extras.desired = server.desired;
    const t = rt.transition;
    if (t && isTransitional(rt.power)) extras.transition = { action: t.action, target: t.target, startedAt: t.startedAt, deadline: t.deadline, ...(t.step ? { step: t.step } : {}) };
    const error = this.errors.get(server.id);
    if (error) extras.lastError = { message: error.message, at: error.at, ...(error.action ? { action: error.action } : {}), ...(error.hint ? { hint: error.hint } : {}) };
    if (server.ssh) {
      const m = this.mismatches.get(endpointOf(server.address, server.ssh.port));
      if (m) extras.hostKey = { endpoint: m.endpoint, keyType: m.keyType, expected: m.expected, presented: m.presented, at: m.at };
    }
    const info = this.system.get(server.id);
    const record = this.inits.get(server.id);
    if (info || record) {
      extras.system = {
        ...(info ?? { systemType: 'unknown', hibernate: false, interfaces: [] }),
        initFailures: record?.failures ?? 0,
        ...(record?.initialisedAt !== undefined ? { initialisedAt: record.initialisedAt } : {}),
        ...(record?.nextAt !== undefined ? { nextInitAt: record.nextAt } : {}),
      };
    }
    try {
      const s = this.secrets;
      extras.secretsSet = { sshPassword: s.has(server.id, 'ssh.password'), sshPassphrase: s.has(server.id, 'ssh.passphrase'), wolPassword: s.has(server.id, 'wol.password') };
    } catch {
      // An unreadable secrets file is reported when a secret is needed, not on every view.
    }
    return extras;
  }

  // ---- observations (called by the Engine after every probe) ----

  observed(id: string, prev: RuntimeState, next: RuntimeState): void {
    if (prev.transition && !next.transition) {
      const t = prev.transition;
      const reached = next.power === t.target || (t.target === 'on' && isUp(next.power));
      this.settle(id, t, reached ? 'reached' : 'timeout', next.detail);
    }
    if (isUp(next.power) && !isUp(prev.power)) this.maybeInit(id);
  }

  // ---- internals: transitions ----

  private beginTransition(id: string, action: PowerAction): void {
    const rt = this.host.runtime(id) as RuntimeState;
    const server = this.require(id);
    const timeouts = timeoutsFor(server.powerControl, this.defaults);
    const snap = begin({ power: rt.power, since: rt.since, ...(rt.transition ? { transition: rt.transition } : {}) }, action, this.clock.now(), timeouts);
    const guest = this.isGuest(server);
    // A guest lands where Proxmox puts it: paused, stopped, hibernated.
    const transition = snap.transition && guest ? { ...snap.transition, target: GUEST_TARGET[action] } : snap.transition;
    const { detail: _old, ...rest } = rt;
    this.errors.delete(id);
    this.lastOutcome.delete(id);
    if (guest) this.guestRuns.set(id, {});
    this.host.setRuntime(id, { ...rest, power: snap.power, since: snap.since, ...(transition ? { transition } : {}) });
    // A guest's progress is its Proxmox task, followed about every second by the Proxmox
    // capability: only its deadline is watched here (probing it would refresh the whole cluster).
    if (guest) this.watchGuest(id);
    else this.schedulePoll(id);
  }

  /**
   * Updates the step shown under a transitional state. `budgetFrom` gives the command its full
   * time again from that moment: waiting for a parent must not eat the child's own time to wake.
   */
  private setStep(id: string, action: PowerAction, step: string, budgetFrom?: number): boolean {
    const rt = this.host.runtime(id);
    if (!rt?.transition || rt.transition.action !== action || !isTransitional(rt.power)) return false;
    const server = this.require(id);
    const transition: Transition = { ...rt.transition, step };
    if (budgetFrom !== undefined) {
      transition.deadline = Math.max(transition.deadline, budgetFrom + timeoutOf(action, timeoutsFor(server.powerControl, this.defaults)));
    }
    this.host.setRuntime(id, { ...rt, transition });
    return true;
  }

  private failTransition(id: string, action: PowerAction, error: unknown): void {
    const { message, hint } = describeError(error);
    const failure: Failure = { action, message, at: this.clock.now(), ...(hint ? { hint } : {}) };
    const rt = this.host.runtime(id);
    const server = this.host.servers().find((s) => s.id === id);
    if (!rt || !server) return;
    this.errors.set(id, failure);
    if (!rt.transition || rt.transition.action !== action || !isTransitional(rt.power)) {
      this.host.changed(id);
      return;
    }
    const t = rt.transition;
    const step = fail({ power: rt.power, since: rt.since, transition: t }, this.clock.now(), message);
    const { transition: _t, detail: _d, ...rest } = rt;
    this.host.setRuntime(id, { ...rest, power: step.next.power, since: step.next.since, detail: message });
    this.log.warn(`${action} ${server.name} failed: ${message}`);
    this.settle(id, t, 'failed', message, hint);
  }

  private settle(id: string, t: Transition, outcome: Outcome, detail?: string, hint?: string, quiet = false): void {
    this.lastOutcome.set(id, outcome);
    this.emitAction({ serverId: id, action: t.action, phase: 'ended', at: this.clock.now(), outcome, ...(detail ? { detail } : {}) });
    const poll = this.polls.get(id);
    if (poll !== undefined) this.clock.clearTimeout(poll);
    this.polls.delete(id);
    const server = this.host.servers().find((s) => s.id === id);
    if (outcome === 'timeout') {
      this.errors.set(id, { action: t.action, message: detail ?? 'timed out', hint: TIMEOUT_HINTS[t.action], at: this.clock.now() });
      this.host.changed(id);
    }
    if (server && !quiet) {
      const notice = transitionNotice({ serverId: id, serverName: server.name, transition: t, outcome, at: this.clock.now(), ...(detail ? { detail } : {}), ...(hint ? { hint } : {}) });
      if (notice) this.host.notify(notice);
    }
    const set = this.waiters.get(id);
    this.waiters.delete(id);
    for (const resolve of set ?? []) resolve(outcome);
  }

  /** About every second while transitional: each probe feeds the state machine, which ends the transition. */
  private schedulePoll(id: string): void {
    if (this.polls.has(id)) return;
    const handle = this.clock.setTimeout(() => {
      this.polls.delete(id);
      void this.host
        .probe(id)
        .catch((error: unknown) => this.log.warn(`fast poll of ${id} failed`, error))
        .then(() => {
          const rt = this.host.runtime(id);
          if (rt && isTransitional(rt.power)) this.schedulePoll(id);
        });
    }, this.fastPollMs);
    this.polls.set(id, handle);
  }

  // ---- internals: actuation ----

  private async actuate(id: string, action: PowerAction): Promise<void> {
    const server = this.require(id);
    if (this.guestDriver && this.isGuest(server)) return this.actuateGuest(id, action, this.guestDriver);
    const custom = server.powerControl?.customCommands?.[action];
    if (action === 'wake') {
      const waited = await this.wakeAncestors(server);
      // A Proxmox node without a MAC of its own is the machine under it: waking that host was the wake.
      if (!custom && !capabilitiesOf(server, this.system.get(id)).wake) {
        this.setStep(id, action, 'waiting for it to answer', waited ? this.clock.now() : undefined);
        return;
      }
      if (!this.setStep(id, action, custom ? 'running the wake command' : 'sending the magic packet', waited ? this.clock.now() : undefined)) return;
      if (custom) await this.runCustom(server, action, custom, true);
      else await wakeServer(server, (sid) => this.secrets.get(sid, 'wol.password'), this.wol);
      this.setStep(id, action, 'waiting for it to answer');
      return;
    }
    this.setStep(id, action, `sending the ${action} command`);
    if (custom) await this.runCustom(server, action, custom, false);
    else {
      const target = this.targetFor(server);
      if (action === 'hibernate') await this.checkHibernate(server, target);
      const result = await runSshPower(this.ssh, target, action, { useSudo: server.powerControl?.useSudo ?? false, timeoutMs: this.commandTimeoutMs });
      this.sshWorked(server);
      if (!result.ok) throw new PowerCommandError(result.message, result.hint);
    }
    this.setStep(id, action, action === 'reboot' ? 'waiting for it to go down and come back' : 'waiting for it to go down');
  }

  /**
   * A guest command through Proxmox. Its node (and the host under it) is woken by the Proxmox
   * capability before a start, through `ensureAwake`, so it is not done here as well. The end
   * state is the one Proxmox reports after the task; a command that could not even start
   * restores the state before it and asks Proxmox again.
   */
  private async actuateGuest(id: string, action: PowerAction, driver: GuestPowerDriver): Promise<void> {
    try {
      const asleep = action === 'wake' ? this.firstAncestorDown(this.require(id)) : undefined;
      this.setStep(id, action, asleep ? `waking ${asleep.name} first, then asking Proxmox to start it` : `asking Proxmox to ${VERB[action]} it`);
      const task = await driver.runPowerAction(id, action);
      this.setStep(id, action, `Proxmox task ${task.type} running`);
      this.concludeGuestRun(id, action, await driver.waitTask(task.upid));
    } catch (error) {
      const ours = this.guestRuns.has(id);
      this.endGuestRun(id);
      if (!ours) return; // its deadline passed first and already concluded it
      this.failTransition(id, action, error);
      void this.host.probe(id).catch((e: unknown) => this.log.warn(`reading ${id} back from Proxmox failed`, e));
    }
  }

  private concludeGuestRun(id: string, action: PowerAction, task: GuestTask): void {
    const run = this.guestRuns.get(id);
    const rt = this.host.runtime(id);
    // Past its deadline the command was concluded already and this reading went the usual way.
    if (!run || !rt?.transition || rt.transition.action !== action || !isTransitional(rt.power)) return;
    this.endGuestRun(id);
    const t = rt.transition;
    const end = concludeGuest(action, task, run.reading, t.from);
    const now = this.clock.now();
    const reading = run.reading?.power === end.power ? run.reading : undefined;
    const detail = end.outcome === 'failed' ? end.message : reading?.detail;
    const { transition: _t, detail: _d, ...rest } = rt;
    this.host.setRuntime(id, { ...rest, power: end.power, since: now, ...(isUp(end.power) ? { lastSeen: now } : {}), ...(detail ? { detail } : {}) });
    if (end.outcome === 'reached') {
      this.settle(id, t, 'reached');
      return;
    }
    this.errors.set(id, { action, message: end.message, at: now, ...(end.hint ? { hint: end.hint } : {}) });
    this.host.changed(id);
    this.log.warn(`${action} ${id} through Proxmox failed: ${end.message}`);
    // A failed task was told by the Proxmox capability already: one notice, not two.
    this.settle(id, t, 'failed', end.message, end.hint, end.told);
  }

  /** Arms the deadline of a guest command. */
  private watchGuest(id: string): void {
    const run = this.guestRuns.get(id);
    const deadline = this.host.runtime(id)?.transition?.deadline;
    if (!run || deadline === undefined) return;
    if (run.timer !== undefined) this.clock.clearTimeout(run.timer);
    run.timer = this.clock.setTimeout(() => this.guestDeadline(id), Math.max(0, deadline - this.clock.now()));
  }

  private guestDeadline(id: string): void {
    const run = this.guestRuns.get(id);
    if (!run) return;
    run.timer = undefined;
    const rt = this.host.runtime(id);
    const server = this.host.servers().find((s) => s.id === id);
    const t = rt?.transition;
    if (!rt || !t || !server || !isTransitional(rt.power)) return this.endGuestRun(id);
    const now = this.clock.now();
    // Waiting for its node (or the host under it) to wake must not eat the guest's own time.
    const parentDeadline = this.ancestorDeadline(server);
    if (parentDeadline !== undefined && now < parentDeadline + timeoutOf(t.action, timeoutsFor(server.powerControl, this.defaults))) {
      const deadline = Math.max(t.deadline, parentDeadline + timeoutOf(t.action, timeoutsFor(server.powerControl, this.defaults)));
      if (deadline > t.deadline) this.host.setRuntime(id, { ...rt, transition: { ...t, deadline } });
      return this.watchGuest(id);
    }
    if (now < t.deadline) return this.watchGuest(id);
    this.endGuestRun(id);
    // Not confirmed in time: show the last word from Proxmox (or what it was before); the task's
    // own end, whenever it comes, is then applied like any reading.
    const minutes = Math.round((t.deadline - t.startedAt) / 60_000);
    const span = minutes >= 1 ? `${minutes} min` : `${Math.round((t.deadline - t.startedAt) / 1000)} s`;
    const detail = `Proxmox did not confirm the ${VERB[t.action]} within ${span}`;
    const power = run.reading?.power ?? (isTransitional(t.from) ? 'unknown' : t.from);
    const { transition: _t, detail: _d, ...rest } = rt;
    this.host.setRuntime(id, { ...rest, power, since: now, detail });
    this.settle(id, t, 'timeout', detail);
  }

  /** The topmost ancestor that is not up (what a guest's start has to wake first). */
  private firstAncestorDown(server: ServerConfig): ServerConfig | undefined {
    const chain: ServerConfig[] = [];
    const seen = new Set([server.id]);
    for (let p = this.parentOf(server); p && !seen.has(p.id); p = this.parentOf(p)) {
      seen.add(p.id);
      chain.unshift(p);
    }
    return chain.find((p) => !isUp(this.host.runtime(p.id)?.power ?? 'unknown'));
  }

  /** The latest deadline among transitional ancestors, when any is on its way. */
  private ancestorDeadline(server: ServerConfig): number | undefined {
    let latest: number | undefined;
    const seen = new Set([server.id]);
    for (let p = this.parentOf(server); p && !seen.has(p.id); p = this.parentOf(p)) {
      seen.add(p.id);
      const rt = this.host.runtime(p.id);
      if (rt && isTransitional(rt.power) && rt.transition) latest = Math.max(latest ?? 0, rt.transition.deadline);
    }
    return latest;
  }

  private endGuestRun(id: string): void {
    const run = this.guestRuns.get(id);
    if (!run) return;
    if (run.timer !== undefined) this.clock.clearTimeout(run.timer);
    this.guestRuns.delete(id);
  }

  private isGuest(server: ServerConfig): boolean {
    return this.guestDriver !== undefined && isProxmoxGuest(server);
  }

  /** Wakes every sleeping ancestor, top down, each only once the one above it is up. Returns whether it had to wait. */
  private async wakeAncestors(server: ServerConfig): Promise<boolean> {
    const chain: ServerConfig[] = [];
    const seen = new Set([server.id]);
    for (let p = this.parentOf(server); p && !seen.has(p.id); p = this.parentOf(p)) {
      seen.add(p.id);
      chain.unshift(p);
    }
    let waited = false;
    for (const parent of chain) {
      let tried = false;
      for (;;) {
        const rt = this.host.runtime(parent.id);
        if (!rt || isUp(rt.power)) break;
        waited = true;
        if (isTransitional(rt.power)) {
          // Until the parent's own deadline, the child is waiting, not failing to wake.
          this.setStep(server.id, 'wake', `waiting for ${parent.name} to ${rt.power === 'waking' ? 'wake' : 'settle'}`, rt.transition?.deadline);
          await this.waitSettled(parent.id);
          continue;
        }
        if (tried) throw new PowerCommandError(`its parent ${parent.name} did not come up`, `Wake ${parent.name} first and check why it does not answer.`);
        tried = true;
        try {
          this.run(parent.id, 'wake', { fromReconcile: true });
        } catch (error) {
          throw new PowerCommandError(`its parent ${parent.name} cannot be woken: ${(error as Error).message}`);
        }
      }
    }
    return waited;
  }

  private async runCustom(server: ServerConfig, action: PowerAction, command: CustomCommand, isWake: boolean): Promise<void> {
    const values = validatedPlaceholders(server);
    if (command.runOn === 'local') {
      const result = await this.local(localArgv(command, values), this.commandTimeoutMs);
      if (result.code !== 0) {
        throw new PowerCommandError(`the ${action} command exited ${result.code}${result.stderr.trim() ? `: ${result.stderr.trim().split('\n')[0]}` : ''}`, 'Run it by hand to see why.');
      }
      return;
    }
    // Over SSH: a wake command runs on the parent (the server itself is asleep).
    const runOn = isWake ? this.parentOf(server) : server;
    if (!runOn) throw new PowerCommandError(`the wake command runs over SSH on the parent, and ${server.name} has none`, 'Set a parent, or run the command locally.');
    const result = await runSshPower(this.ssh, this.targetFor(runOn), action, { useSudo: false, timeoutMs: this.commandTimeoutMs, custom: { command, values } });
    this.sshWorked(runOn);
    if (!result.ok) throw new PowerCommandError(result.message, 'Run it by hand over SSH to see why.');
  }

  private async checkHibernate(server: ServerConfig, target: SshTarget): Promise<void> {
    const info = this.system.get(server.id);
    if (info?.hibernate) return;
    const r = await this.ssh.exec(target, 'cat /sys/power/disk', { timeoutMs: this.commandTimeoutMs });
    const text = r.code === 0 ? r.stdout : '';
    if (!text.trim() || /\[disabled\]/.test(text)) {
      throw new PowerCommandError(`${server.name} cannot hibernate (/sys/power/disk: ${text.trim() || 'absent'})`, 'Hibernation needs swap at least as large as RAM and a resume= kernel parameter; use suspend instead.');
    }
  }

  // ---- internals: reconcile ----

  /** One reconcile pass: plan with the pure planner, then send what it says. */
  async reconcile(): Promise<void> {
    const now = this.clock.now();
    const servers = this.host.servers();
    const rows = servers.map((s) => {
      const power = this.host.runtime(s.id)?.power ?? 'unknown';
      return { id: s.id, name: s.name, power, transitioning: isTransitional(power), capabilities: this.capabilities(s), ...(s.parentId ? { parentId: s.parentId } : {}), ...(s.desired ? { desired: s.desired } : {}) };
    });
    this.memory = pruneMemory(this.memory, rows);
    const steps = planReconcile(rows, this.memory, now, this.reconcilePolicy);
    const stillBlocked = new Set<string>();
    for (const step of steps) {
      if (step.kind === 'act') {
        this.memory = recordAttempt(this.memory, step.id, DESIRED_AFTER[step.action] ?? 'on', now, this.reconcilePolicy);
        try {
          // The planner already refused to power down a parent under running children.
          this.run(step.id, step.action, { confirm: true, fromReconcile: true });
        } catch (error) {
          this.log.warn(`reconcile: ${step.action} ${step.id} refused: ${(error as Error).message}`);
        }
      } else if (step.kind === 'blocked') {
        stillBlocked.add(step.id);
        if (this.blocked.get(step.id) === step.reason) continue;
        this.blocked.set(step.id, step.reason);
        const server = servers.find((s) => s.id === step.id);
        this.errors.set(step.id, { message: `Desired ${server?.desired ?? 'state'} cannot be reached: ${step.reason}`, at: now });
        this.host.changed(step.id);
        this.host.notify({ level: 'warning', title: `${server?.name ?? step.id} cannot reach its desired state`, body: step.reason, serverId: step.id });
      }
    }
    for (const id of [...this.blocked.keys()]) {
      if (stillBlocked.has(id)) continue;
      this.blocked.delete(id);
      if (this.errors.get(id)?.action === undefined) {
        this.errors.delete(id);
        this.host.changed(id);
      }
    }
  }

  // ---- internals: init ----

  private async initSweep(): Promise<void> {
    const now = this.clock.now();
    const due = this.host.servers().filter((s) => initDue(this.inits.get(s.id) ?? freshInit(), now, isUp(this.host.runtime(s.id)?.power ?? 'unknown'), s.ssh !== undefined));
    await Promise.all(due.map((s) => this.initOne(s.id)));
  }

  private maybeInit(id: string): void {
    if (!this.started) return;
    const server = this.host.servers().find((s) => s.id === id);
    const rt = this.host.runtime(id);
    if (!server || !rt) return;
    if (initDue(this.inits.get(id) ?? freshInit(), this.clock.now(), isUp(rt.power), server.ssh !== undefined)) void this.initOne(id);
  }

  private initOne(id: string): Promise<void> {
    const running = this.initRunning.get(id);
    if (running) return running;
    // Bounded: at start every answering host becomes due at once, and SSH handshakes are not free.
    const work = this.initSlots.run(() => this.doInit(id)).finally(() => this.initRunning.delete(id));
    this.initRunning.set(id, work);
    return work;
  }

  private async doInit(id: string): Promise<void> {
    const server = this.host.servers().find((s) => s.id === id);
    if (!server?.ssh) return;
    const timer = this.initTimers.get(id);
    if (timer !== undefined) this.clock.clearTimeout(timer);
    this.initTimers.delete(id);
    try {
      const raw = await gatherSystemFacts(this.ssh, this.targetFor(server), {
        timeoutMs: this.commandTimeoutMs,
        useSudo: server.powerControl?.useSudo ?? false,
        interfacesOf: (json) => parseIpLink(json).filter((l) => l.physical).map((l) => l.name),
      });
      this.sshWorked(server);
      this.system.set(id, systemInfoFromFacts(raw, server.mac));
      this.inits.set(id, afterInitSuccess(this.clock.now(), this.initPolicy));
      if (this.errors.get(id)?.action === 'init') this.errors.delete(id);
      const rt = this.host.runtime(id);
      if (rt?.initFailed) {
        const { initFailed: _f, detail: _d, ...rest } = rt;
        this.host.setRuntime(id, { ...rest, ...(rt.power === 'init_failed' ? { power: 'on', since: this.clock.now() } : {}) });
      }
    } catch (error) {
      const { message, hint } = describeError(error);
      const record = afterInitFailure(this.inits.get(id) ?? freshInit(), this.clock.now(), message, this.initPolicy);
      this.inits.set(id, record);
      this.errors.set(id, { action: 'init', message: `Init failed: ${message}`, at: this.clock.now(), ...(hint ? { hint } : {}) });
      const rt = this.host.runtime(id);
      if (record.failed && rt && !rt.initFailed) {
        this.host.setRuntime(id, { ...rt, initFailed: true, detail: message, ...(rt.power === 'on' ? { power: 'init_failed', since: this.clock.now() } : {}) });
      }
      if (this.started && record.nextAt !== undefined) {
        this.initTimers.set(id, this.clock.setTimeout(() => this.maybeInit(id), Math.max(0, record.nextAt - this.clock.now())));
      }
    }
    this.host.changed(id);
  }

  // ---- internals: helpers ----

  private get secrets(): SecretsStore {
    if (!this.secretsImpl) {
      const home = this.options.home;
      let encryptor = this.options.encryptor;
      // The key file is only created when a secret is first stored or read.
      const lazy: Encryptor = {
        get kind() {
          return encryptor?.kind ?? 'keyfile';
        },
        encrypt: (plain) => (encryptor ??= keyFileEncryptor(home)).encrypt(plain),
        decrypt: (sealed) => (encryptor ??= keyFileEncryptor(home)).decrypt(sealed),
      };
      this.secretsImpl = new SecretsStore(home, lazy);
    }
    return this.secretsImpl;
  }

  private get ssh(): PowerSsh {
    if (!this.sshImpl) {
      this.sshImpl = new SshPool({
        knownHosts: new KnownHostsStore(this.options.home),
        clock: this.clock,
        commandTimeoutMs: this.commandTimeoutMs,
        onHostKeyMismatch: (m) => this.recordMismatch(m),
      });
    }
    return this.sshImpl;
  }

  private recordMismatch(m: HostKeyMismatch): void {
    const known = this.mismatches.get(m.endpoint);
    if (known?.presentedKey === m.presentedKey) return;
    this.mismatches.set(m.endpoint, { ...m, at: this.clock.now() });
    for (const s of this.host.servers()) {
      if (!s.ssh || endpointOf(s.address, s.ssh.port) !== m.endpoint) continue;
      this.host.changed(s.id);
      this.host.notify({
        level: 'error',
        title: `The SSH host key of ${s.name} changed`,
        body: `Expected ${m.expected}, got ${m.presented}. Rackdeck will not connect until you accept the new key.`,
        serverId: s.id,
      });
    }
  }

  /** A connection that worked with the pinned key ends any mismatch shown for it. */
  private sshWorked(server: ServerConfig): void {
    if (!server.ssh) return;
    const endpoint = endpointOf(server.address, server.ssh.port);
    if (this.mismatches.delete(endpoint)) this.host.changed(server.id);
  }

  private targetFor(server: ServerConfig): SshTarget {
    return sshTargetFor(server, { get: (id, name) => this.secrets.get(id, name) }, this.options.userHome);
  }

  private require(ref: string): ServerConfig {
    const server = findServer(this.host.servers(), ref);
    if (!server) throw notFound(`Server "${ref}"`);
    return server;
  }

  private parentOf(server: Pick<ServerConfig, 'parentId'>): ServerConfig | undefined {
    return server.parentId ? this.host.servers().find((s) => s.id === server.parentId) : undefined;
  }

  private runningChildren(id: string): ServerConfig[] {
    return this.host.servers().filter((s) => {
      if (s.parentId !== id) return false;
      const power = this.host.runtime(s.id)?.power ?? 'unknown';
      return isUp(power) || isTransitional(power);
    });
  }

  private writeDesired(id: string, desired: DesiredPower | null): void {
    this.host.updateServer(id, (s) => {
      const { desired: _old, ...rest } = s;
      return desired ? { ...rest, desired } : rest;
    });
  }
}

/** Runs at most `n` tasks at once, the rest in arrival order. */
function limiter(n: number): { run<T>(task: () => Promise<T>): Promise<T> } {
  let active = 0;
  const queue: (() => void)[] = [];
  return {
    async run(task) {
      if (active >= n) await new Promise<void>((resolve) => queue.push(resolve));
      active += 1;
      try {
        return await task();
      } finally {
        active -= 1;
        queue.shift()?.();
      }
    },
  };
}

function missingCapability(action: PowerAction): string {
  switch (action) {
    case 'wake':
      return 'it has no valid MAC address or wake command';
    case 'hibernate':
      return 'its init found hibernation unavailable, or it has no SSH settings';
    default:
      return 'it has no SSH settings or custom command for that';
  }
}

function describeError(error: unknown): { message: string; hint?: string } {
  if (error instanceof HostKeyMismatchError) return { message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
  if (error instanceof SshError || error instanceof PowerCommandError) return { message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
  if (error instanceof MacError) return { message: error.message, hint: 'Fix the MAC address in the server settings.' };
  return { message: error instanceof Error ? error.message : String(error) };
}
