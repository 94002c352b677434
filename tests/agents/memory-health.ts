import type { ResetRecord, WatchOptions } from '../../src/shared/contract/agents';
import { FakeClock } from '../../src/main/base/clock';
import { appendReset } from '../../src/main/health/history';
import type { GuestPower, ResetOutcome } from '../../src/main/health/hooks';
import { HealthMonitor, type HealthNotice, type HealthPersistence } from '../../src/main/health/monitor';
import type { EngineSideView } from '../../src/main/health/watchdog';
import { memoryLogger } from '../../src/main/base/logger';
import type { AgentFigures, HealthView } from '../../src/shared/contract/agents';

export class MemoryHealthStore implements HealthPersistence {
  watchOpts = new Map<string, Partial<WatchOptions>>();
  resetLog = new Map<string, ResetRecord[]>();
  latch = new Map<string, number>();
  watch(id: string) {
    return { ...(this.watchOpts.get(id) ?? {}) };
  }
  setWatch(id: string, patch: Partial<WatchOptions>) {
    this.watchOpts.set(id, { ...this.watch(id), ...patch });
  }
  resets(id: string) {
    return this.resetLog.get(id) ?? [];
  }
  addReset(r: ResetRecord) {
    this.resetLog.set(r.serverId, appendReset(this.resets(r.serverId), r));
  }
  updateReset(r: ResetRecord) {
    this.resetLog.set(r.serverId, this.resets(r.serverId).map((x) => (x.id === r.id ? r : x)));
  }
  needsHuman(id: string) {
    return this.latch.get(id);
  }
  setNeedsHuman(id: string, since: number | undefined) {
    if (since === undefined) this.latch.delete(id);
    else this.latch.set(id, since);
  }
}

export function figures(overrides: Partial<AgentFigures> = {}): AgentFigures {
  return {
    hostname: 'vm',
    cpuPercent: 10,
    memUsedBytes: 1e9,
    memTotalBytes: 4e9,
    diskUsedBytes: 1e10,
    diskTotalBytes: 5e10,
    uptimeSeconds: 100,
    timestamp: 1_767_225_600,
    ...overrides,
  };
}

/**
 * A watchdog with every dependency in the test's hands: the clock, what Proxmox says of each
 * guest, how a reset task ends, and what the engine knows of deliberate power actions.
 */
export function openMonitor(ids: string[] = ['vm1']) {
  const clock = new FakeClock();
  const store = new MemoryHealthStore();
  const log = memoryLogger();
  const notices: HealthNotice[] = [];
  const emitted: HealthView[] = [];
  const guests = new Map<string, GuestPower | undefined>(ids.map((id) => [id, { status: 'running' }]));
  const views = new Map<string, EngineSideView>(ids.map((id) => [id, { power: 'on' }]));
  const resetCalls: { id: string; reason: string; at: number }[] = [];
  let outcome: (id: string) => Promise<ResetOutcome> = async (id) => ({ ok: true, taskStatus: 'OK', upid: `UPID:pve1:0001:${id}:qmreset` });
  let listening: number | undefined = clock.now();
  const monitor = new HealthMonitor({
    clock,
    log,
    store,
    serverIds: () => ids,
    serverName: (id) => `name-${id}`,
    engineView: (id) => views.get(id),
    getGuestPower: async (id) => guests.get(id),
    resetGuest: async (id, reason) => {
      resetCalls.push({ id, reason, at: clock.now() });
      return outcome(id);
    },
    notify: (n) => notices.push(n),
    emit: (v) => emitted.push(v),
    listeningSince: () => listening,
    hasAgentKey: () => true,
    intervalMs: 30_000,
  });
  return {
    clock,
    store,
    log,
    notices,
    emitted,
    guests,
    views,
    resetCalls,
    monitor,
    setOutcome(fn: (id: string) => Promise<ResetOutcome>) {
      outcome = fn;
    },
    setListening(at: number | undefined) {
      listening = at;
    },
    /** Moves time and lets the watchdog loop run, then waits for resets it started. */
    async advance(ms: number) {
      await clock.advance(ms);
      await monitor.idle();
    },
  };
}

export const MIN = 60_000;
