import type {
  AgentKeyInfo,
  CreatedAgentKey,
  HealthView,
  InstallResult,
  ReceiverStatus,
  ResetRecord,
  WatchOptions,
} from '../../shared/contract/agents';
import type { Clock, TimerHandle } from '../base/clock';
import { HandlerError, notFound } from '../base/errors';
import { agentConfig, InstallError, installAgent, removeAgent, type AgentFiles } from './agent-installer';
import type { HealthSeams, EnginePart } from './hooks';
import { HealthMonitor, type HealthNotice } from './monitor';
import type { EngineSideView } from './watchdog';
import type { Logger } from '../base/logger';
import { HealthStore } from './health-store';
import type { JsonFile } from './json-file';
import { AgentKeyStore, type ReceiverConfig } from './key-store';
import type { AgentReceiver, ReceiverLimits, ReportVerdict, StartReceiver } from './receiver-port';

/** What the service needs to know of the inventory. */
export interface ServerDirectory {
  ids(): readonly string[];
  find(ref: string): { id: string; name: string; sshUser?: string } | undefined;
  view(id: string): EngineSideView | undefined;
}

export interface AgentsServiceDeps {
  clock: Clock;
  log: Logger;
  version: string;
  /** Read at call time: capabilities wired after start are picked up. */
  hooks: HealthSeams;
  servers: ServerDirectory;
  notify(notice: HealthNotice): void;
  emit(view: HealthView): void;
  /** agents.json (receiver settings, hashed keys) and health.json (watch options, resets). */
  files: { agents: JsonFile; health: JsonFile };
  /** Binds the HTTP listener agents report to. */
  startReceiver: StartReceiver;
  /** The agent script and its units, read when an install needs them. */
  agentFiles: () => AgentFiles;
  watchdogIntervalMs?: number;
  receiverLimits?: Partial<ReceiverLimits>;
  /** How long Install agent waits for the first heartbeat (default 30 s). */
  heartbeatTimeoutMs?: number;
}

const WILDCARD = new Set(['0.0.0.0', '::', '[::]']);

/**
 * The health capability as one part of the engine: the key store, the receiver (off until
 * enabled, bound only while the engine runs), the health monitor and watchdog, and the
 * installer. Faces reach it through the `agents.*` handlers.
 */
export class AgentsService implements EnginePart {
  readonly keys: AgentKeyStore;
  readonly store: HealthStore;
  readonly monitor: HealthMonitor;
  private receiver: AgentReceiver | undefined;
  private listeningAt: number | undefined;
  private receiverError: string | undefined;
  private running = false;
  private waiters = new Set<{ serverId: string; since: number; done: (at: number | undefined) => void }>();

  constructor(private readonly deps: AgentsServiceDeps) {
    this.keys = new AgentKeyStore(deps.files.agents, deps.clock, deps.log);
    this.store = new HealthStore(deps.files.health, deps.clock, deps.log);
    this.monitor = new HealthMonitor({
      clock: deps.clock,
      log: deps.log,
      store: this.store,
      serverIds: () => deps.servers.ids(),
      serverName: (id) => deps.servers.find(id)?.name,
      engineView: (id) => deps.servers.view(id),
      getGuestPower: async (id) => (deps.hooks.guests ? deps.hooks.guests.power(id) : undefined),
      resetGuest: async (id, reason) => {
        if (!deps.hooks.guests) return { ok: false, taskStatus: 'Proxmox is not connected' };
        return deps.hooks.guests.reset(id, reason);
      },
      notify: deps.notify,
      emit: deps.emit,
      listeningSince: () => this.listeningAt,
      hasAgentKey: (id) => this.keys.hasActiveKey(id),
      recordSample: (id, sample) => deps.hooks.recordAgentSample?.(id, sample),
      ...(deps.watchdogIntervalMs !== undefined ? { intervalMs: deps.watchdogIntervalMs } : {}),
    });
    for (const recovery of [this.keys.recovery, this.store.recovery]) {
      if (recovery) deps.notify({ level: 'error', title: 'A health file could not be read', body: `It was kept as ${recovery.backupPath} (${recovery.reason}).`, serverId: '' });
    }
  }

  // ---- lifecycle -------------------------------------------------------------------------

  start(): void {
    if (this.running) return;
    this.running = true;
    this.monitor.start();
    if (this.keys.receiver().enabled) void this.bind().catch(() => undefined);
  }

  stop(): void {
    this.running = false;
    this.monitor.stop();
    void this.unbind();
  }

  /** Stops and waits for the listener to close and resets in flight to finish. */
  async close(): Promise<void> {
    this.running = false;
    this.monitor.stop();
    await this.unbind();
    await this.monitor.idle();
    for (const w of this.waiters) w.done(undefined);
  }

  // ---- receiver --------------------------------------------------------------------------

  private async bind(): Promise<void> {
    await this.unbind();
    const cfg = this.keys.receiver();
    try {
      this.receiver = await this.deps.startReceiver({
        host: cfg.host,
        port: cfg.port,
        clock: this.deps.clock,
        log: this.deps.log,
        version: this.deps.version,
        verifyKey: (presented) => this.keys.verify(presented),
        onReport: (serverId, figures) => this.accept(serverId, figures),
        ...(this.deps.receiverLimits ? { limits: this.deps.receiverLimits } : {}),
      });
      this.listeningAt = this.deps.clock.now();
      this.receiverError = undefined;
      this.deps.log.info(`agent receiver listening on ${this.receiver.url}`);
    } catch (error) {
      this.receiverError = `Could not listen on ${cfg.host}:${cfg.port}: ${error instanceof Error ? error.message : String(error)}`;
      this.deps.log.error(this.receiverError);
      this.deps.notify({ level: 'error', title: 'The agent receiver could not start', body: this.receiverError, serverId: '' });
      throw new HandlerError('failed', this.receiverError);
    }
  }

  private async unbind(): Promise<void> {
    const r = this.receiver;
    this.receiver = undefined;
    this.listeningAt = undefined;
    if (r) await r.close();
  }

  private accept(serverId: string, figures: Parameters<HealthMonitor['report']>[1]): ReportVerdict {
    const server = this.deps.servers.find(serverId);
    if (!server || server.id !== serverId) return { accepted: false, status: 410, message: 'The server this key belongs to is no longer in Rackdeck' };
    const view = this.monitor.report(serverId, figures);
    const at = view.lastReportAt ?? this.deps.clock.now();
    for (const w of [...this.waiters]) if (w.serverId === serverId && at >= w.since) w.done(at);
    return { accepted: true, body: { serverId, state: view.state } };
  }

  /** The URL agents should report to, or undefined when the bind address says nothing useful. */
  agentUrl(cfg: ReceiverConfig = this.keys.receiver()): string | undefined {
    if (cfg.publicUrl) return cfg.publicUrl.replace(/\/$/, '');
    if (WILDCARD.has(cfg.host)) return undefined;
    const host = cfg.host.includes(':') && !cfg.host.startsWith('[') ? `[${cfg.host}]` : cfg.host;
    // Port 0 in the settings means "any free port": the bound one is what agents need.
    const port = this.receiver && cfg.port === 0 ? this.receiver.port : cfg.port;
    return `http://${host}:${port}`;
  }

  status(): ReceiverStatus {
    const cfg = this.keys.receiver();
    const url = this.agentUrl(cfg);
    return {
      enabled: cfg.enabled,
      host: cfg.host,
      port: cfg.port,
      ...(cfg.publicUrl ? { publicUrl: cfg.publicUrl } : {}),
      listening: this.receiver !== undefined,
      ...(this.receiver ? { url: this.receiver.url } : url ? { url } : {}),
      ...(this.receiverError && cfg.enabled ? { error: this.receiverError } : {}),
    };
  }

  async enableReceiver(settings: { host: string; port: number; publicUrl?: string | undefined }): Promise<ReceiverStatus> {
    const previous = this.keys.receiver();
    this.keys.setReceiver({ enabled: true, host: settings.host, port: settings.port, publicUrl: settings.publicUrl });
    if (this.running) {
      try {
        await this.bind();
      } catch (error) {
        // A port in use must not leave a setting that fails at every start.
        this.keys.setReceiver({ ...previous });
        if (previous.enabled) await this.bind().catch(() => undefined);
        throw error;
      }
    }
    return this.status();
  }

  async disableReceiver(): Promise<ReceiverStatus> {
    this.keys.setReceiver({ enabled: false });
    this.receiverError = undefined;
    await this.unbind();
    return this.status();
  }

  /** Resolves with the time of the first heartbeat from `serverId` at or after `since`. */
  waitForHeartbeat(serverId: string, since: number, timeoutMs: number): Promise<number | undefined> {
    const last = this.monitor.view(serverId).lastReportAt;
    if (last !== undefined && last >= since) return Promise.resolve(last);
    return new Promise((resolve) => {
      const slot: { timer?: TimerHandle } = {};
      const waiter = {
        serverId,
        since,
        done: (at: number | undefined) => {
          if (slot.timer !== undefined) this.deps.clock.clearTimeout(slot.timer);
          this.waiters.delete(waiter);
          resolve(at);
        },
      };
      this.waiters.add(waiter);
      slot.timer = this.deps.clock.setTimeout(() => waiter.done(undefined), timeoutMs);
    });
  }

  // ---- keys ------------------------------------------------------------------------------

  private server(ref: string): { id: string; name: string; sshUser?: string } {
    const s = this.deps.servers.find(ref);
    if (!s) throw notFound(`Server "${ref}"`);
    return s;
  }

  createKey(ref: string, label?: string): CreatedAgentKey {
    const server = this.server(ref);
    const { key, info } = this.keys.create(server.id, label);
    const identity = this.deps.hooks.guests?.identify?.(server.id);
    const url = this.agentUrl();
    // Without a reachable URL the admin fills it in; the rest of the file is ready to copy.
    const config = url
      ? agentConfig({ url, key, ...(identity ?? {}) })
      : agentConfig({ url: 'http://127.0.0.1:7374', key, ...(identity ?? {}) }).replace(/^URL=.*$/m, 'URL=http://RACKDECK-ADDRESS:7374');
    this.monitor.touch(server.id);
    return { key, info, config };
  }

  revokeKeys(input: { keyId?: string | undefined; serverId?: string | undefined }): string[] {
    let revoked: string[];
    if (input.keyId !== undefined) {
      const known = this.keys.list().find((k) => k.id === input.keyId);
      if (!known) throw notFound(`Agent key "${input.keyId}"`);
      revoked = this.keys.revoke(known.id);
      this.monitor.touch(known.serverId);
    } else {
      const server = this.server(input.serverId ?? '');
      revoked = this.keys.revokeServer(server.id);
      this.monitor.touch(server.id);
    }
    return revoked;
  }

  listKeys(ref?: string): AgentKeyInfo[] {
    return this.keys.list(ref === undefined ? undefined : this.server(ref).id);
  }

  // ---- health, resets, watchdog ------------------------------------------------------------

  health(ref: string): HealthView {
    return this.monitor.view(this.server(ref).id);
  }

  healthAll(): HealthView[] {
    return this.monitor.views();
  }

  resets(ref: string, limit?: number): ResetRecord[] {
    this.store.refresh();
    return this.monitor.resets(this.server(ref).id, limit);
  }

  async manualReset(ref: string, reason: string): Promise<ResetRecord> {
    const server = this.server(ref);
    const guests = this.deps.hooks.guests;
    if (!guests) throw new HandlerError('failed', `Proxmox is not connected for ${server.name}, so Rackdeck cannot reset it.`);
    const power = await guests.power(server.id);
    if (!power) throw new HandlerError('failed', `${server.name} is not a Proxmox guest Rackdeck can reset (Proxmox is not connected for this server).`);
    return this.monitor.manualReset(server.id, reason);
  }

  setWatch(ref: string, patch: Partial<WatchOptions>): HealthView {
    const server = this.server(ref);
    if (patch.autoReset === true) {
      const guests = this.deps.hooks.guests;
      if (!guests || (guests.identify && !guests.identify(server.id))) {
        throw new HandlerError('failed', `Proxmox is not connected for ${server.name} (it is not a Proxmox VM Rackdeck knows); auto-reset needs Proxmox to reset it.`);
      }
    }
    return this.monitor.setWatch(server.id, patch);
  }

  /** A server left the inventory: its keys stop working and its health is forgotten. */
  forgetServer(serverId: string): void {
    this.keys.revokeServer(serverId);
    this.store.forget(serverId);
    this.monitor.forget(serverId);
  }

  // ---- install / remove ---------------------------------------------------------------------

  async install(ref: string, url?: string): Promise<InstallResult> {
    const server = this.server(ref);
    const shellFor = this.deps.hooks.shellFor;
    if (!shellFor) throw new HandlerError('failed', `SSH is not connected for ${server.name}; set up SSH for it before installing the agent.`);
    const target = url ?? this.agentUrl();
    if (!target) throw new HandlerError('bad_request', 'The receiver listens on every address; set its public URL (the address agents should use) first.', { url: 'required' });
    const files = this.deps.agentFiles();
    const since = this.deps.clock.now();
    const { key, info } = this.keys.create(server.id, `installed ${new Date(since).toISOString().slice(0, 10)}`);
    const identity = this.deps.hooks.guests?.identify?.(server.id);
    const shell = await shellFor(server.id);
    try {
      const outcome = await installAgent(
        {
          shell,
          files,
          sudo: server.sshUser !== undefined && server.sshUser !== 'root',
          ...(this.receiver ? { waitForHeartbeat: () => this.waitForHeartbeat(server.id, since, this.deps.heartbeatTimeoutMs ?? 30_000) } : {}),
        },
        { url: target, key, ...(identity ?? {}) },
      );
      // The new key works: older ones of this server are retired.
      for (const old of this.keys.list(server.id)) if (old.id !== info.id && old.revokedAt === undefined) this.keys.revoke(old.id);
      this.monitor.touch(server.id);
      return { serverId: server.id, keyId: info.id, scheduler: outcome.scheduler, ...(outcome.heartbeatAt !== undefined ? { heartbeatAt: outcome.heartbeatAt } : {}), steps: outcome.steps };
    } catch (error) {
      this.keys.revoke(info.id);
      if (error instanceof InstallError) throw new HandlerError('failed', error.message);
      throw error;
    } finally {
      await shell.close?.();
    }
  }

  async uninstall(ref: string): Promise<{ serverId: string; revoked: string[] }> {
    const server = this.server(ref);
    const shellFor = this.deps.hooks.shellFor;
    if (!shellFor) throw new HandlerError('failed', `SSH is not connected for ${server.name}; remove the agent by hand or set up SSH first.`);
    const shell = await shellFor(server.id);
    try {
      await removeAgent({ shell, sudo: server.sshUser !== undefined && server.sshUser !== 'root' });
    } catch (error) {
      if (error instanceof InstallError) throw new HandlerError('failed', error.message);
      throw error;
    } finally {
      await shell.close?.();
    }
    return { serverId: server.id, revoked: this.keys.revokeServer(server.id) };
  }
}
