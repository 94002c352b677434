import type { ServerConfig } from '../../shared/server';
import { HandlerError } from '../base/errors';
import { createLoop, type Loop } from '../base/loop';
import { enableWolCommand, gatherSystemFacts } from '../drivers/ssh/model';
import { describeError } from './failures';
import { afterInitFailure, afterInitSuccess, freshInit, initDue, parseIpLink, systemInfoFromFacts } from './init';
import { isUp } from './machine';
import type { PowerHost } from './ports';
import type { ServerAccess } from './server-access';
import type { ControllerSettings } from './settings';
import type { PowerBook } from './state';

/**
 * Init: what a host is (system type, NICs and their Wake-on-LAN, hibernation), gathered over SSH
 * when it comes up and again every hour, retried with backoff after a failure; and the admin's
 * choice of the interface init found.
 */
export class InitLoop {
  private readonly loop: Loop;
  private running = false;
  // Bounded: at start every answering host becomes due at once, and SSH handshakes are not free.
  private readonly slots = limiter(4);

  constructor(
    private readonly host: PowerHost,
    private readonly book: PowerBook,
    private readonly access: ServerAccess,
    private readonly settings: ControllerSettings,
    /** What init found is written through here, so other processes know it (init-facts.json). */
    private readonly keepFacts: (id: string) => void = () => undefined,
  ) {
    this.loop = createLoop('init', settings.initMs, () => this.sweep(), host);
  }

  start(): void {
    this.running = true;
    this.loop.start();
  }

  stop(): void {
    this.running = false;
    this.loop.stop();
  }

  /** A host came up (or its retry is due): init it when its record says so. */
  maybeInit(id: string): void {
    if (!this.running) return;
    const server = this.host.servers().find((s) => s.id === id);
    const rt = this.host.runtime(id);
    if (!server || !rt) return;
    if (initDue(this.book.peek(id)?.init ?? freshInit(), this.host.clock.now(), isUp(rt.power), server.ssh !== undefined)) void this.initOne(server);
  }

  /** Runs init now; resolves when it finished (the card shows the result either way). */
  async initNow(server: ServerConfig): Promise<void> {
    if (!server.ssh) throw new HandlerError('bad_request', `${server.name} has no SSH settings to initialise over`);
    await this.initOne(server);
  }

  /** Makes an interface init found the server's MAC, enabling Wake-on-LAN on it first when asked. */
  async useInterface(server: ServerConfig, iface: string, enableWol: boolean): Promise<void> {
    const info = this.book.peek(server.id)?.system;
    const nic = info?.interfaces.find((i) => i.name === iface);
    if (!info || !nic) throw new HandlerError('bad_request', `${server.name} has no interface "${iface}" (run init first)`);
    if (enableWol) {
      if (!server.ssh) throw new HandlerError('bad_request', `${server.name} has no SSH settings`);
      const target = this.access.targetFor(server);
      const result = await this.access.ssh.exec(target, enableWolCommand(iface, server.powerControl?.useSudo ?? false), { timeoutMs: this.settings.commandTimeoutMs });
      if (result.code !== 0) {
        throw new HandlerError('failed', `Enabling Wake-on-LAN on ${iface} failed: ${result.stderr.trim().split('\n')[0] || `exit ${result.code}`}`);
      }
      this.book.of(server.id).system = { ...info, interfaces: info.interfaces.map((i) => (i.name === iface ? { ...i, wolEnabled: true } : i)) };
    }
    const { suggestedMac: _used, ...rest } = this.book.peek(server.id)?.system ?? info;
    this.book.of(server.id).system = rest;
    this.host.updateServer(server.id, (s) => ({ ...s, mac: nic.mac }));
    this.keepFacts(server.id);
    // The MAC may be the same one: what init knows changed all the same, and every card must see it.
    this.host.changed(server.id);
  }

  private async sweep(): Promise<void> {
    const now = this.host.clock.now();
    const due = this.host.servers().filter((s) => initDue(this.book.peek(s.id)?.init ?? freshInit(), now, isUp(this.host.runtime(s.id)?.power ?? 'unknown'), s.ssh !== undefined));
    await Promise.all(due.map((s) => this.initOne(s)));
  }

  private initOne(server: ServerConfig): Promise<void> {
    const id = server.id;
    const running = this.book.peek(id)?.initRunning;
    if (running) return running;
    const work = this.slots
      .run(() => this.doInit(server))
      .finally(() => {
        const record = this.book.peek(id);
        if (record?.initRunning === work) delete record.initRunning;
      });
    this.book.of(id).initRunning = work;
    return work;
  }

  private async doInit(server: ServerConfig): Promise<void> {
    const id = server.id;
    // It may have left the inventory while waiting for a slot.
    if (!server.ssh || !this.host.runtime(id)) return;
    this.book.cancel(id, 'initTimer');
    const now = () => this.host.clock.now();
    try {
      const raw = await gatherSystemFacts(this.access.ssh, this.access.targetFor(server), {
        timeoutMs: this.settings.commandTimeoutMs,
        useSudo: server.powerControl?.useSudo ?? false,
        interfacesOf: (json) => parseIpLink(json).filter((l) => l.physical).map((l) => l.name),
      });
      this.access.sshWorked(server);
      const record = this.book.of(id);
      record.system = systemInfoFromFacts(raw, server.mac);
      record.init = afterInitSuccess(now(), this.settings.initPolicy);
      this.keepFacts(id);
      if (record.error?.action === 'init') delete record.error;
      const rt = this.host.runtime(id);
      if (rt?.initFailed) {
        const { initFailed: _f, detail: _d, ...rest } = rt;
        this.host.setRuntime(id, { ...rest, ...(rt.power === 'init_failed' ? { power: 'on', since: now() } : {}) });
      }
    } catch (error) {
      const { message, hint } = describeError(error);
      const record = this.book.of(id);
      const init = afterInitFailure(record.init ?? freshInit(), now(), message, this.settings.initPolicy);
      record.init = init;
      record.error = { action: 'init', message: `Init failed: ${message}`, at: now(), ...(hint ? { hint } : {}) };
      const rt = this.host.runtime(id);
      if (init.failed && rt && !rt.initFailed) {
        this.host.setRuntime(id, { ...rt, initFailed: true, detail: message, ...(rt.power === 'on' ? { power: 'init_failed', since: now() } : {}) });
      }
      if (this.running && init.nextAt !== undefined) {
        this.book.of(id).initTimer = this.host.clock.setTimeout(() => this.maybeInit(id), Math.max(0, init.nextAt - now()));
      }
    }
    this.host.changed(id);
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
