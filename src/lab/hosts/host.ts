import type { Socket } from 'node:net';
import type { ParsedKey } from 'ssh2';
import { deriveSeed, type Ed25519KeyPair } from '../keys/openssh-ed25519';
import { createRng } from '../random';
import type { AuthPolicy } from '../ssh/auth';
import type { SshHostBinding } from '../ssh/host-binding';
import { SshEndpoint } from '../ssh/server';
import type { MachineView, PowerRequest, PveTools } from '../shell/types';
import type { LabHostInfo, LabNodeHost, LabPower } from '../types';
import { NO_FAULTS, type HostFaults } from './faults';
import { HostMetrics } from './metrics';
import { createServiceHandlers, type ConnectionHandler, type TlsSource } from './services';
import type { HostSpec, WakeOnMode } from './spec';
import { LoginTable } from './logins';
import { HostListeners } from './listeners';
import { HostKeyRing } from './host-key-ring';
import { PowerSignal } from './power-signal';

/**
 * One simulated machine. Its power state decides whether its TCP listeners exist: when on,
 * every service port accepts; when suspended or off, the ports are closed (connection refused)
 * and open connections are cut, exactly what a probe sees of a sleeping box. Transitions take
 * the configured delays and run one at a time, so listeners never open and close at once.
 */
export interface HostDeps {
  seed: number;
  /** Keys allowed to log in (the lab's client key first). */
  authorizedKeys: readonly ParsedKey[];
  bootDelayMs: number;
  suspendDelayMs: number;
  tls: TlsSource;
  now?: () => number;
}

export type WolOutcome = 'woke' | 'already_on' | 'busy' | 'wol_disabled' | 'bad_password';

interface Pending {
  timer: NodeJS.Timeout;
  resolve: () => void;
}

export class SimHost implements LabNodeHost {
  readonly info: LabHostInfo;
  private state: LabPower;
  private epoch = 0;
  private queue: Promise<void> = Promise.resolve();
  private readonly listeners: HostListeners;
  private readonly pending = new Set<Pending>();
  private readonly signal: PowerSignal;
  private readonly wakeModes = new Map<string, WakeOnMode>();
  private readonly extraServices = new Map<string, ConnectionHandler>();
  private services: Record<string, ConnectionHandler> | undefined;
  private ssh: SshEndpoint | undefined;
  private currentFaults: HostFaults = { ...NO_FAULTS };
  private flapTimer: NodeJS.Timeout | undefined;
  private readonly keyRing: HostKeyRing;
  private metricsState: HostMetrics | undefined;
  private sessions = 0;
  private readonly loginTable: LoginTable;
  private stopped = false;
  private readonly now: () => number;
  private readonly scratch = new Map<string, string>();
  private pve: PveTools | undefined;
  readonly machine: MachineView;

  constructor(readonly spec: HostSpec, private readonly deps: HostDeps) {
    this.now = deps.now ?? Date.now;
    this.loginTable = new LoginTable(() => this.now());
    this.signal = new PowerSignal(spec.id, () => this.state);
    this.keyRing = new HostKeyRing(deps.seed, spec.id, spec.hostname);
    this.listeners = new HostListeners({
      id: spec.id,
      address: spec.address,
      accepting: () => this.state === 'on' || this.state === 'suspending' || this.state === 'shutting_down',
      dropping: () => this.currentFaults.dropConnections,
      route: (name) => (name === 'ssh' ? (socket: Socket) => this.acceptSsh(socket) : this.handlerFor(name)),
    });
    this.info = {
      id: spec.id, hostname: spec.hostname, address: spec.address, mac: spec.mac, os: spec.os, role: spec.role, ports: { ...spec.ports },
    };
    for (const nic of spec.nics) if (nic.wake) this.wakeModes.set(nic.name, nic.wake.mode);
    this.state = spec.initialPower;
    if (spec.initialPower !== 'off') {
      this.metricsState = this.freshMetrics(spec.initialUptimeSec);
      if (spec.initialPower === 'suspended') this.metricsState.pause(this.now());
    }
    this.machine = {
      spec,
      metrics: () => this.metrics(),
      now: () => this.now(),
      users: () => this.sessions,
      logins: () => this.loginTable.list(),
      wakeOn: (nic) => this.wakeModes.get(nic),
      setWakeOn: (nic, mode) => {
        if (this.wakeModes.has(nic)) this.wakeModes.set(nic, mode);
      },
      scratch: this.scratch,
      powerNeedsRoot: () => this.currentFaults.requireSudo,
      pveTools: () => this.pve,
    };
  }

  /** Makes the host a node of a running lab cluster: its shell gets pveum. */
  attachPveTools(tools: PveTools | undefined): void {
    this.pve = tools;
  }

  get id(): string { return this.spec.id; }
  get hostname(): string { return this.spec.hostname; }
  get address(): string { return this.spec.address; }
  get mac(): string { return this.spec.mac; }

  /** Opens the listeners of a host that starts powered on. */
  async start(): Promise<void> {
    if (this.state === 'on') await this.enqueue(() => this.openListeners());
  }

  power(): LabPower {
    return this.state;
  }

  onPowerChange(listener: (power: LabPower) => void): () => void {
    return this.signal.on(listener);
  }

  /** Resolves once the host is in `target`; rejects after `timeoutMs`. */
  waitForPower(target: LabPower, timeoutMs = 10_000): Promise<void> {
    return this.signal.waitFor(target, timeoutMs);
  }

  // --- power -------------------------------------------------------------------------------

  /** What a magic packet does: boots after the boot delay from off or suspended. */
  async wake(): Promise<void> {
    if (this.stopped) return;
    if (this.state === 'on') return;
    if (this.state === 'booting') return this.waitForPower('on', this.deps.bootDelayMs + 10_000);
    if (this.state === 'suspending' || this.state === 'shutting_down') {
      await this.signal.settled();
      return this.wake();
    }
    return this.boot(this.deps.bootDelayMs);
  }

  /** Test helper: on at once, skipping the boot delay. */
  powerOn(): Promise<void> {
    if (this.stopped || this.state === 'on') return Promise.resolve();
    return this.boot(0);
  }

  /** Test helper: hard power-off at once (pulling the plug), no shutdown delay. */
  powerOff(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return this.goDown(undefined, 'off', 0);
  }

  /** Suspend to RAM, as `systemctl suspend` does: suspending, then down after the suspend delay. */
  suspend(): Promise<void> {
    if (this.stopped || this.state === 'suspended' || this.state === 'off') return Promise.resolve();
    return this.goDown('suspending', 'suspended', this.deps.suspendDelayMs);
  }

  /** Clean shutdown: shutting_down, then off after the suspend delay. */
  shutdown(): Promise<void> {
    if (this.stopped || this.state === 'off') return Promise.resolve();
    return this.goDown('shutting_down', 'off', this.deps.suspendDelayMs);
  }

  /** Down, then up again after the boot delay. */
  async reboot(): Promise<void> {
    if (this.stopped) return;
    await this.shutdown();
    const epoch = this.epoch;
    if (this.stopped || this.state !== 'off') return;
    if (epoch === this.epoch) await this.boot(this.deps.bootDelayMs);
  }

  /** A command asked for a power change (systemctl suspend…); ignored unless the host is on. */
  requestPower(request: PowerRequest): void {
    if (this.state !== 'on') return;
    const done = (): void => undefined;
    switch (request) {
      case 'suspend': void this.suspend().catch(done); break;
      case 'hibernate': void this.goDown('suspending', 'off', this.deps.suspendDelayMs).catch(done); break;
      case 'poweroff': void this.shutdown().catch(done); break;
      case 'reboot': void this.reboot().catch(done); break;
    }
  }

  /** Called by the WoL listener for a packet carrying this host's MAC. */
  wakeOnLan(password: Buffer | undefined): WolOutcome {
    const nic = this.spec.nics[0];
    if (nic && this.wakeModes.get(nic.name) !== 'g') return 'wol_disabled';
    const secret = this.spec.secureOn;
    if (secret && (password === undefined || !password.equals(secret))) return 'bad_password';
    if (this.state === 'on') return 'already_on';
    if (this.state !== 'off' && this.state !== 'suspended') return 'busy';
    void this.wake().catch(() => undefined);
    return 'woke';
  }

  private boot(delayMs: number): Promise<void> {
    const epoch = ++this.epoch;
    const from = this.state;
    this.setPower('booting');
    return this.after(delayMs, epoch, async () => {
      if (from === 'suspended' && this.metricsState) this.metricsState.resume(this.now());
      else this.metricsState = this.freshMetrics(delayMs / 1000);
      try {
        await this.openListeners();
      } catch (error) {
        await this.listeners.closeAll();
        this.setPower('off');
        throw error;
      }
      this.setPower('on');
    });
  }

  private goDown(transitional: 'suspending' | 'shutting_down' | undefined, target: 'suspended' | 'off', delayMs: number): Promise<void> {
    const epoch = ++this.epoch;
    if (transitional) this.setPower(transitional);
    return this.after(delayMs, epoch, async () => {
      if (target === 'suspended') this.metricsState?.pause(this.now());
      else this.metricsState = undefined;
      await this.listeners.closeAll();
      this.setPower(target);
    });
  }

  /** Runs `op` after `delayMs` in the transition queue, unless a newer transition superseded it. */
  private after(delayMs: number, epoch: number, op: () => Promise<void>): Promise<void> {
    return new Promise((resolve, reject) => {
      const entry: Pending = {
        resolve,
        timer: setTimeout(() => {
          this.pending.delete(entry);
          this.enqueue(async () => {
            if (epoch !== this.epoch || this.stopped) return;
            await op();
          }).then(resolve, reject);
        }, delayMs),
      };
      this.pending.add(entry);
    });
  }

  private enqueue(op: () => Promise<void>): Promise<void> {
    const result = this.queue.then(op);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private setPower(power: LabPower): void {
    if (this.state === power) return;
    this.state = power;
    this.signal.emit(power);
  }

  // --- listeners ---------------------------------------------------------------------------

  private async openListeners(): Promise<void> {
    const wanted = Object.entries(this.spec.ports).filter(([name]) => name === 'ssh' || this.handlerFor(name) !== undefined);
    await Promise.all(wanted.map(([name, port]) => this.listeners.listen(name, port)));
  }

  private acceptSsh(socket: Socket): void {
    this.ssh ??= new SshEndpoint(this.sshBinding());
    this.ssh.handle(socket);
  }

  private handlerFor(name: string): ConnectionHandler | undefined {
    const extra = this.extraServices.get(name);
    if (extra) return extra;
    // The Proxmox API port belongs to the Proxmox simulator: listened on only once it attaches.
    if (name === 'proxmox') return undefined;
    this.services ??= createServiceHandlers(this.spec, this.deps.tls);
    return this.services[name];
  }

  /**
   * Lets another simulator (the Proxmox API) answer on one of this host's ports. The host
   * then opens and closes that port with its power state like any other.
   */
  async attachService(name: string, handler: ConnectionHandler): Promise<void> {
    const port = this.spec.ports[name];
    if (port === undefined) throw new Error(`lab host ${this.id} has no ${name} port`);
    this.extraServices.set(name, handler);
    if (this.state === 'on') await this.enqueue(() => this.listeners.listen(name, port));
  }

  /** Open TCP connections on all ports. */
  connections(): number {
    return this.listeners.connections();
  }

  // --- SSH ---------------------------------------------------------------------------------

  hostKey(): Ed25519KeyPair {
    return this.keyRing.current(this.currentFaults.changedHostKey);
  }

  /** A new host key from now on (as after reinstalling the OS); returns its fingerprint. */
  rotateHostKey(): string {
    this.keyRing.rotate();
    return this.hostKey().fingerprint;
  }

  private sshBinding(): SshHostBinding {
    return {
      spec: this.spec,
      machine: this.machine,
      hostKey: () => this.hostKey(),
      faults: () => this.currentFaults,
      authPolicy: (): AuthPolicy => ({
        user: this.spec.user, password: this.spec.password, authorizedKeys: this.deps.authorizedKeys, refuseAll: this.currentFaults.refuseAuth,
      }),
      requestPower: (request) => this.requestPower(request),
      loginStarted: (user, from) => this.loginTable.begin(user, from),
      sessionStarted: () => {
        this.sessions++;
        let ended = false;
        return () => {
          if (!ended) this.sessions--;
          ended = true;
        };
      },
      delay: (ms) => new Promise((resolve) => {
        const entry: Pending = { resolve, timer: setTimeout(() => { this.pending.delete(entry); resolve(); }, ms) };
        this.pending.add(entry);
      }),
    };
  }

  // --- faults ------------------------------------------------------------------------------

  faults(): Readonly<HostFaults> {
    return this.currentFaults;
  }

  setFault(faults: Partial<HostFaults>): void {
    const before = this.currentFaults;
    this.currentFaults = { ...before, ...faults };
    if (faults.flapIntervalMs !== undefined && faults.flapIntervalMs !== before.flapIntervalMs) this.restartFlap();
  }

  clearFaults(): void {
    this.setFault({ ...NO_FAULTS });
  }

  private restartFlap(): void {
    if (this.flapTimer) clearInterval(this.flapTimer);
    this.flapTimer = undefined;
    const interval = this.currentFaults.flapIntervalMs;
    if (interval <= 0) {
      if (this.state === 'suspended' || this.state === 'off') void this.powerOn().catch(() => undefined);
      return;
    }
    this.flapTimer = setInterval(() => {
      const done = (): void => undefined;
      if (this.state === 'on') void this.goDown(undefined, 'suspended', 0).catch(done);
      else if (this.state === 'suspended' || this.state === 'off') void this.boot(0).catch(done);
    }, interval);
  }

  // --- metrics -----------------------------------------------------------------------------

  private freshMetrics(uptimeSec: number): HostMetrics {
    const rng = createRng(deriveSeed('rackdeck-lab', 'metrics', this.deps.seed, this.id).readUInt32BE(0));
    return new HostMetrics(this.spec, rng, this.now(), uptimeSec);
  }

  private metrics(): HostMetrics {
    this.metricsState ??= this.freshMetrics(0);
    this.metricsState.advance(this.now());
    return this.metricsState;
  }

  /** Closes every listener and connection and cancels pending transitions; the host is inert after. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.epoch++;
    if (this.flapTimer) clearInterval(this.flapTimer);
    for (const entry of this.pending) {
      clearTimeout(entry.timer);
      entry.resolve();
    }
    this.pending.clear();
    await this.enqueue(() => this.listeners.closeAll());
    this.signal.clear();
  }
}
