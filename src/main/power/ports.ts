import type { SecretField } from '../../shared/contract/power';
import type { Notice } from '../../shared/events';
import type { ServerConfig } from '../../shared/server';
import type { Clock } from '../base/clock';
import type { Logger } from '../base/logger';
import type { HostKeyMismatch, LocalRunner, OfferedHostKey, SshExec, SshTarget } from '../drivers/ssh/model';
import type { SecretSource } from '../drivers/ssh/server-target';
import type { WolSender } from '../drivers/wol/model';
import type { RuntimeState } from '../inventory/status';
import type { InitPolicy } from './init';
import type { PowerTimeouts } from './machine';
import type { SystemFacts } from './state';
import type { ReconcilePolicy } from './reconcile';

/**
 * What the power capability needs from outside, as ports: the Engine's state (PowerHost) and the
 * drivers and stores the construction site builds (PowerPorts). Power itself does no I/O.
 */

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

/** The secrets of power control (SSH password or passphrase, SecureOn password): the encrypted store in production. */
export interface PowerSecrets {
  get(serverId: string, name: SecretField): string | undefined;
  has(serverId: string, name: SecretField): boolean;
  set(serverId: string, name: SecretField, value: string | null): void;
  /** Drops every secret of a server that left the inventory. */
  removeServer(serverId: string): void;
}

/** The pinned host keys (the home's known-hosts store) and a reader of the key a server offers (ssh-keyscan's job). */
export interface HostKeyPort {
  /** The key the server offers in the handshake; nothing is authenticated. */
  scan(host: string, port: number): Promise<OfferedHostKey>;
  pinned(endpoint: string): (OfferedHostKey & { addedAt: number }) | undefined;
  /** Pins the key, replacing whatever was pinned (the caller decided that it may). */
  pin(endpoint: string, key: OfferedHostKey): void;
}

/** A server's SSH target, its secrets read at the moment of use (drivers/ssh `sshTargetFor`, which looks for default keys in ~/.ssh). */
export type SshTargetResolver = (server: ServerConfig, secrets: SecretSource) => SshTarget;

/** The drivers and stores, built by the construction site (the real ones, or fakes in tests). */
export interface PowerPorts {
  /**
   * Opens the pooled, pinned SSH; called once, on first use, so a damaged pin file fails the SSH
   * commands rather than the start. The pool reports refused keys to `hostKeyMismatch`.
   */
  openSsh(): PowerSsh;
  /** Opens the secrets store; called once, on first use, so an unreadable file fails what needs a secret, not every view. */
  openSecrets(): PowerSecrets;
  wol: WolSender;
  runLocal: LocalRunner;
  /** Whether `runOn: 'local'` commands may run (`settings.power.allowLocalCommands`); absent means no. */
  localCommandsAllowed?: () => boolean;
  sshTarget: SshTargetResolver;
  /** Host keys for `hostKeys.check`/`trust`; absent in unit tests that need none. */
  hostKeys?: HostKeyPort;
  /** What init found, kept across processes (absent: kept in memory only). */
  initFacts?: InitFactsPort;
}

/** What the last init found on each server, stored so another process knows it too. */
export interface InitFactsPort {
  all(): Record<string, SystemFacts>;
  put(id: string, facts: SystemFacts | undefined): void;
}

/** Loop timings and policies; every one has a default (settings.ts). */
export interface PowerTuning {
  fastPollMs?: number;
  reconcileMs?: number;
  initMs?: number;
  commandTimeoutMs?: number;
  timeouts?: Partial<PowerTimeouts>;
  reconcilePolicy?: Partial<ReconcilePolicy>;
  initPolicy?: Partial<InitPolicy>;
}

export type PowerControllerOptions = PowerPorts & PowerTuning;
