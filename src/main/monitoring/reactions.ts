import type { HealthView } from '../../shared/contract/agents';
import type { ProxmoxTask } from '../../shared/contract/proxmox';
import type { ServersPatch } from '../../shared/events';
import type { ActionFace, ActionInput } from '../../shared/metrics';
import { isTransitional } from '../../shared/power';
import type { PowerChange } from '../inventory/notices';
import { currentCall } from '../ipc/router';
import type { PowerActionEvent } from '../power/controller';
import type { ClusterRefresh } from '../proxmox/service';
import { faceOf, powerEntry, taskEntry, taskResult } from './action-entries';
import type { AlertDispatch } from './alert-dispatch';
import type { MonitoringContext } from './context';
import { UP, type Sampler } from './sampling';

/**
 * What the monitoring makes of what the engine tells (patches, power changes, agent health, power
 * commands, Proxmox tasks and refreshes): the power history and the action log, the conditions
 * behind the host-key, down, wake, task, certificate and agent alerts, and forgetting a server
 * that was removed. It listens only while the engine runs and decides nothing the engine owns.
 */
export class Reactions {
  private readonly hostKeys = new Set<string>();
  private readonly healthDown = new Set<string>();
  private readonly certificateBad = new Set<string>();
  private readonly actionFaces = new Map<string, ActionFace>();
  private readonly powerInFlight = new Set<string>();
  private readonly tasksSeen = new Map<string, 'running' | 'stopped'>();

  constructor(
    private readonly ctx: MonitoringContext,
    private readonly alerts: AlertDispatch,
    private readonly sampler: Sampler,
    /** The rest of the monitoring lets go of a removed server (its service report, its backfill). */
    private readonly forgetElsewhere: (id: string) => void,
  ) {}

  /** Subscribes to the engine; returns how to unsubscribe. */
  listen(): Array<() => void> {
    const { engine } = this.ctx;
    return [
      engine.events.on('servers.patch', (p) => this.onPatch(p)),
      engine.onPowerChange((c) => this.onPowerChange(c)),
      engine.events.on('health.changed', (h) => this.onHealth(h)),
      this.ctx.power.onAction((e) => this.onPowerAction(e)),
      this.ctx.proxmox.onTask((t) => this.onTask(t)),
      this.ctx.proxmox.onRefresh((r) => this.onRefresh(r)),
    ];
  }

  /** At start: where every server stands now goes into the power history, and which host keys are already in doubt. */
  seed(): void {
    const { engine, ports } = this.ctx;
    for (const s of engine.servers()) {
      const v = engine.view(s.id);
      if (!v) continue;
      if (v.power !== 'unknown') ports.history.write((h) => h.recordPower(v.id, v.since, v.power));
      if (v.hostKey) this.hostKeys.add(v.id);
    }
  }

  private onPatch(patch: ServersPatch): void {
    if (!this.ctx.running()) return;
    const now = this.ctx.engine.clock.now();
    for (const v of patch.upsert) {
      if (v.hostKey && !this.hostKeys.has(v.id)) {
        this.hostKeys.add(v.id);
        this.alerts.condition('host_key', { subject: v.id, serverId: v.id, serverName: v.name, active: true, at: now, title: `The SSH host key of ${v.name} changed`, body: `Expected ${v.hostKey.expected}, got ${v.hostKey.presented}. Rackdeck will not connect until the new key is accepted.` });
      } else if (!v.hostKey && this.hostKeys.delete(v.id)) {
        this.alerts.condition('host_key', { subject: v.id, serverId: v.id, serverName: v.name, active: false, at: now, title: `The SSH host key of ${v.name} is trusted again`, body: 'The key it presents is the pinned one.' });
      }
    }
    for (const id of patch.remove) this.forgetServer(id, now);
  }

  /** Every power change, as it happens: the uptime history, and whether a server went down. */
  private onPowerChange(c: PowerChange): void {
    if (!this.ctx.running()) return;
    if (c.to !== 'unknown') this.ctx.ports.history.write((h) => h.recordPower(c.serverId, c.at, c.to));
    this.sampler.powerChanged(c.serverId, c.to);
    const name = c.serverName;
    if (UP.has(c.from) && (c.to === 'off' || c.to === 'stopped')) {
      const detail = c.detail ? ` (${c.detail})` : '';
      // The engine already says "went down" for on → off; a guest stopping is news only here.
      this.alerts.condition('down', { subject: c.serverId, serverId: c.serverId, serverName: name, active: true, at: c.at, title: `${name} is down`, body: `It stopped answering${detail}.` }, c.to === 'off' && c.from === 'on');
    } else if (UP.has(c.to) || isTransitional(c.to)) {
      this.alerts.condition('down', { subject: c.serverId, serverId: c.serverId, serverName: name, active: false, at: c.at, title: `${name} is back`, body: `It is ${c.to === 'on' ? 'answering again' : c.to}.` });
    }
  }

  private onHealth(h: HealthView): void {
    if (!this.ctx.running()) return;
    const { engine } = this.ctx;
    const name = engine.find(h.serverId)?.name ?? h.serverId;
    const now = engine.clock.now();
    if (h.state === 'down' && !this.healthDown.has(h.serverId)) {
      this.healthDown.add(h.serverId);
      this.alerts.condition('agent_stale', { subject: h.serverId, serverId: h.serverId, serverName: name, active: true, at: now, title: `${name} stopped reporting`, body: h.detail ?? 'No heartbeat from its agent.' });
    } else if ((h.state === 'healthy' || h.state === 'warning' || h.state === 'unknown') && this.healthDown.delete(h.serverId)) {
      this.alerts.condition('agent_stale', { subject: h.serverId, serverId: h.serverId, serverName: name, active: false, at: now, title: `${name} is reporting again`, body: 'Its agent sends heartbeats again.' });
    }
  }

  private onPowerAction(e: PowerActionEvent): void {
    if (!this.ctx.running()) return;
    const server = this.ctx.engine.find(e.serverId);
    if (e.phase === 'started') {
      const face = faceOf(currentCall.getStore(), e.fromReconcile);
      this.actionFaces.set(e.serverId, face);
      this.powerInFlight.add(e.serverId);
      this.logAction(powerEntry(e, server, face));
      return;
    }
    this.powerInFlight.delete(e.serverId);
    const face = this.actionFaces.get(e.serverId) ?? 'engine';
    this.actionFaces.delete(e.serverId);
    this.logAction(powerEntry(e, server, face));
    if (e.action !== 'wake' || !server) return;
    const failed = e.outcome !== 'reached';
    this.alerts.condition('wake_failed', {
      subject: server.id,
      serverId: server.id,
      serverName: server.name,
      active: failed,
      at: e.at,
      title: failed ? `${server.name} did not wake` : `${server.name} woke`,
      body: failed ? (e.detail ?? (e.outcome === 'timeout' ? 'It did not answer in time after the wake request.' : 'The wake request failed.')) : 'It answered after the wake request.',
      repeats: true,
    });
  }

  private onTask(task: ProxmoxTask): void {
    if (!this.ctx.running()) return;
    const seen = this.tasksSeen.get(task.upid);
    const status = task.status === 'stopped' || task.error ? 'stopped' : 'running';
    if (seen === status) return;
    this.tasksSeen.set(task.upid, status);
    if (this.tasksSeen.size > 2000) this.tasksSeen.delete(this.tasksSeen.keys().next().value as string);
    const server = task.serverId ? this.ctx.engine.find(task.serverId) : undefined;
    // A power command through Proxmox is logged as that command (its start and its result).
    const partOfPower = task.serverId !== undefined && this.powerInFlight.has(task.serverId);
    const now = this.ctx.engine.clock.now();
    if (!partOfPower) {
      if (!seen && status === 'stopped') this.logAction(taskEntry({ ...task, status: 'running', outcome: 'running' }, server?.name, faceOf(currentCall.getStore()), task.startedAt));
      this.logAction(taskEntry(task, server?.name, faceOf(currentCall.getStore()), status === 'stopped' ? (task.endedAt ?? now) : task.startedAt));
    }
    if (status !== 'stopped') return;
    const failed = taskResult(task) === 'failed';
    const subject = task.serverId ?? `cluster:${task.cluster}`;
    const name = server?.name ?? task.cluster;
    this.alerts.condition('task_failed', {
      subject,
      ...(server ? { serverId: server.id, serverName: server.name } : {}),
      active: failed,
      at: now,
      title: failed ? `${name}: ${task.action} failed` : `${name}: ${task.action} succeeded`,
      body: failed ? (task.error ?? task.exitstatus ?? 'The Proxmox task failed.') : 'The last task ended well.',
      repeats: true,
    });
  }

  private onRefresh(r: ClusterRefresh): void {
    if (!this.ctx.running()) return;
    this.sampler.takeFigures(r);
    const subject = `cluster:${r.cluster}`;
    if (!r.ok && r.error?.kind === 'certificate_mismatch') {
      if (this.certificateBad.has(r.cluster)) return;
      this.certificateBad.add(r.cluster);
      const fp = r.error.fingerprint ? ` It now presents ${r.error.fingerprint}.` : '';
      this.alerts.condition('certificate', { subject, active: true, at: r.at, title: `The certificate of Proxmox cluster ${r.cluster} changed`, body: `${r.error.message}${fp} Compare it with the node before trusting it.` });
    } else if (r.ok && this.certificateBad.delete(r.cluster)) {
      this.alerts.condition('certificate', { subject, active: false, at: r.at, title: `Proxmox cluster ${r.cluster} is trusted again`, body: 'Its certificate matches the pinned one.' });
    }
  }

  private forgetServer(id: string, now: number): void {
    this.ctx.ports.history.write((h) => h.removeServer(id));
    this.sampler.forget(id);
    this.forgetElsewhere(id);
    this.hostKeys.delete(id);
    this.healthDown.delete(id);
    this.alerts.dispatch(this.alerts.evaluator.forgetServer(id, now));
  }

  private logAction(entry: ActionInput): void {
    this.ctx.ports.history.write((h) => h.logAction(entry));
  }
}
