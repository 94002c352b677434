/**
 * Power actions on guests (POST .../status/{action}) with the rules of qemu-server and
 * pve-container: which refusals are immediate 500s, which come back as a UPID whose task then
 * fails, what HA-managed guests do (ha.ts), and the state a guest is in when its task finishes.
 */
import type { Principal } from './auth';
import type { ClusterState } from './cluster-state';
import { ApiError, failure, paramError } from './errors';
import { haManaged, haPowerTask } from './ha';
import type { Guest } from './model';
import { markStarted, markStopped } from './power-state';

export type PowerAction = 'start' | 'stop' | 'shutdown' | 'reboot' | 'reset' | 'suspend' | 'resume';

const on = (v: string | undefined): boolean => v === '1';

function label(g: Guest): string {
  return g.type === 'qemu' ? 'VM' : 'CT';
}

function lockError(g: Guest): string | undefined {
  return g.lock ? `${label(g)} is locked (${g.lock})` : undefined;
}

export interface ActionContext {
  state: ClusterState;
  guest: Guest;
  principal: Principal;
  params: Readonly<Record<string, string>>;
}

/** Runs a power action; returns the UPID or throws the immediate refusal. */
export function powerAction(action: PowerAction, ctx: ActionContext): string {
  const { guest: g, params, principal } = ctx;
  if (params.skiplock !== undefined && principal.userid !== 'root@pam') {
    throw paramError({ skiplock: 'Only root may use this option.' });
  }
  if (action === 'suspend' && on(params.todisk) && !principal.privileges.has('VM.Config.Disk')) {
    throw new ApiError(403, `Permission check failed (/vms/${g.vmid}, VM.Config.Disk)\n`);
  }
  return g.type === 'qemu' ? qemuAction(action, ctx) : lxcAction(action, ctx);
}

/** HA-managed guests are started and stopped by the HA manager: the API task only asks it to. */
function haRequest(ctx: ActionContext, want: 'started' | 'stopped'): string {
  return haPowerTask(ctx.state, ctx.guest, ctx.principal, want);
}

function task(ctx: ActionContext, type: string, finish: () => readonly string[] | void, opts: { durationMs?: number; failWith?: string; log?: string[] } = {}): string {
  const { state, guest: g, principal } = ctx;
  return state.startTask(
    {
      node: g.node,
      type,
      id: String(g.vmid),
      user: principal.userid,
      durationMs: opts.durationMs ?? state.taskDuration(),
      failWith: opts.failWith,
      log: opts.log,
      finish,
    },
    g.vmid,
  ).upid;
}

function shutdownBudget(ctx: ActionContext): number {
  const limit = ctx.state.settings.shutdownTimeoutMs;
  const asked = ctx.params.timeout;
  return asked === undefined ? limit : Math.min(limit, Number(asked) * 1000);
}

function qemuAction(action: PowerAction, ctx: ActionContext): string {
  const { state, guest: g, params } = ctx;
  const id = g.vmid;
  const skiplock = on(params.skiplock);
  const locked = skiplock ? undefined : lockError(g);
  const running = g.status === 'running';
  const notRunning = (): ApiError => failure(`VM ${id} not running`);

  switch (action) {
    case 'start': {
      if (!state.quorate()) throw failure('cluster not ready - no quorum?');
      if (haManaged(g)) return haRequest(ctx, 'started');
      const hibernated = g.lock === 'suspended';
      const refusal = running
        ? `VM ${id} already running`
        : g.template
          ? "you can't start a VM if it's a template"
          : hibernated
            ? undefined
            : locked;
      return task(
        ctx,
        'qmstart',
        () => {
          markStarted(state, g);
          if (!hibernated) return [];
          g.lock = undefined;
          state.touch(g);
          return ['Resuming suspended VM', 'activating and using ' + `'${g.storage}:vm-${id}-state-suspend' as vmstate`, 'resumed VM, removing state'];
        },
        { failWith: refusal },
      );
    }
    case 'stop': {
      if (haManaged(g)) return haRequest(ctx, 'stopped');
      return task(ctx, 'qmstop', () => markStopped(g), { failWith: locked, durationMs: state.taskDuration(0.5) });
    }
    case 'shutdown': {
      if (running && g.paused && !on(params.forceStop)) throw failure('VM is paused - cannot shutdown');
      if (haManaged(g)) return haRequest(ctx, 'stopped');
      if (!running) return task(ctx, 'qmshutdown', () => undefined, { failWith: locked, durationMs: state.taskDuration(0.3) });
      return gracefulStop(ctx, 'qmshutdown', locked, () => markStopped(g));
    }
    case 'reboot': {
      if (!running) throw notRunning();
      if (g.paused) throw failure('VM is paused - cannot shutdown');
      return gracefulStop(ctx, 'qmreboot', locked, () => markStarted(state, g));
    }
    case 'reset': {
      if (!running) throw notRunning();
      return task(
        ctx,
        'qmreset',
        () => {
          // A hard reset reboots a frozen guest OS.
          g.hung = false;
          g.startedAt = state.clock.now();
        },
        { failWith: locked, durationMs: state.taskDuration(0.3) },
      );
    }
    case 'suspend': {
      if (!running) throw notRunning();
      if (on(params.todisk)) return hibernate(ctx, locked);
      return task(
        ctx,
        'qmpause',
        () => {
          g.paused = true;
        },
        { failWith: locked, durationMs: state.taskDuration(0.3) },
      );
    }
    case 'resume': {
      if (!running) throw notRunning();
      return task(
        ctx,
        'qmresume',
        () => {
          g.paused = false;
        },
        { failWith: locked, durationMs: state.taskDuration(0.3) },
      );
    }
  }
}

/** Suspend to disk: locked "suspending" while RAM is written, then stopped with lock "suspended". */
function hibernate(ctx: ActionContext, locked: string | undefined): string {
  const { state, guest: g } = ctx;
  if (locked) return task(ctx, 'qmsuspend', () => undefined, { failWith: locked });
  const storage = ctx.params.statestorage ?? g.storage;
  g.lock = 'suspending';
  state.touch(g);
  const savedGiB = ((state.figures.mem(g, state.clock.now()) || g.memoryMiB * 1024 * 1024 * 0.4) / 1024 ** 3).toFixed(2);
  return task(
    ctx,
    'qmsuspend',
    () => {
      markStopped(g);
      g.lock = 'suspended';
      state.touch(g);
      return [`completed saving the VM state in 2s, saved ${savedGiB} GiB`];
    },
    { log: [`suspending VM to disk`, `saving VM state and RAM using storage '${storage}'`] },
  );
}

/**
 * ACPI shutdown (or reboot). Through the guest agent when it answers; otherwise the power button,
 * which a guest that ignores ACPI or hangs never acts on: the task then fails after the timeout,
 * unless forceStop asks for a hard stop.
 */
function gracefulStop(ctx: ActionContext, type: string, locked: string | undefined, done: () => void): string {
  const { guest: g, params } = ctx;
  if (locked) return task(ctx, type, () => undefined, { failWith: locked });
  const log: string[] = [];
  const viaAgent = g.agentConfigured && g.agentInstalled && !g.hung;
  if (g.agentConfigured && !viaAgent) {
    log.push(`QEMU Guest Agent is not running - VM ${g.vmid} qga command 'guest-ping' failed - got timeout`);
  }
  const obeys = viaAgent || (!g.ignoresAcpi && !g.hung);
  if (obeys) return task(ctx, type, done, { log });
  const budget = shutdownBudget(ctx);
  if (on(params.forceStop) && type === 'qmshutdown') {
    return task(
      ctx,
      type,
      () => {
        markStopped(g);
        return ['VM still running - terminating now with SIGTERM'];
      },
      { log, durationMs: budget },
    );
  }
  return task(ctx, type, () => undefined, { log, durationMs: budget, failWith: 'VM quit/powerdown failed - got timeout' });
}

function lxcAction(action: PowerAction, ctx: ActionContext): string {
  const { state, guest: g, params } = ctx;
  const id = g.vmid;
  const running = g.status === 'running';
  const locked = on(params.skiplock) ? undefined : lockError(g);
  if (action === 'start') {
    if (running) throw failure(`CT ${id} already running`);
    if (!state.quorate()) throw failure('cluster not ready - no quorum?');
    if (haManaged(g)) return haRequest(ctx, 'started');
    const refusal = g.template ? "you can't start a CT if it's a template" : locked;
    return task(ctx, 'vzstart', () => markStarted(state, g), { failWith: refusal });
  }
  if (!running) throw failure(`CT ${id} not running`);
  switch (action) {
    case 'stop':
      if (haManaged(g)) return haRequest(ctx, 'stopped');
      return task(ctx, 'vzstop', () => markStopped(g), { failWith: locked, durationMs: state.taskDuration(0.5) });
    case 'shutdown':
    case 'reboot': {
      if (action === 'shutdown' && haManaged(g)) return haRequest(ctx, 'stopped');
      const type = action === 'shutdown' ? 'vzshutdown' : 'vzreboot';
      const done = action === 'shutdown' ? () => markStopped(g) : () => markStarted(state, g);
      if (!g.hung && !g.paused) return task(ctx, type, done, { failWith: locked });
      const seconds = params.timeout ?? '60';
      const budget = shutdownBudget(ctx);
      if (action === 'shutdown' && on(params.forceStop)) return task(ctx, type, () => markStopped(g), { durationMs: budget });
      return task(ctx, type, () => undefined, {
        durationMs: budget,
        failWith: `command 'lxc-stop -n ${id} --nokill --timeout ${seconds}' failed: exit code 1`,
      });
    }
    case 'suspend':
      return task(ctx, 'vzsuspend', () => {
        g.paused = true;
      }, { failWith: locked, durationMs: state.taskDuration(0.3) });
    case 'resume':
      return task(ctx, 'vzresume', () => {
        g.paused = false;
      }, { failWith: locked, durationMs: state.taskDuration(0.3) });
    default:
      throw new ApiError(501, `Method 'POST /nodes/${g.node}/lxc/${id}/status/${action}' not implemented`);
  }
}
