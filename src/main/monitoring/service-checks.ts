import type { ServiceReport } from '../../shared/contract/monitoring';
import type { ServerConfig, ServerView } from '../../shared/server';
import { mapLimit } from '../base/concurrency';
import type { MonitoringContext } from './context';
import { UP } from './sampling';
import { ServiceChecker } from './services/checker';
import { ClosedPorts } from './services/closed-ports';

/**
 * Service checks: which ports of a running server answer and what they speak, on the services
 * loop for every server that can be checked, or on demand for one (a report older than the
 * interval is checked again). The last report per server is kept for the faces.
 */
export class ServiceChecks {
  private readonly checker: ServiceChecker;
  private readonly reports = new Map<string, ServiceReport>();
  private readonly closed = new ClosedPorts();

  constructor(private readonly ctx: MonitoringContext) {
    this.checker = new ServiceChecker({ commonPorts: true, timeoutMs: 1500, probe: ctx.ports.probe, sniff: ctx.ports.sniff });
  }

  async services(ref: string, refresh = false): Promise<ServiceReport> {
    const { engine } = this.ctx;
    const server = engine.get(ref);
    const view = engine.view(server.id);
    const known = this.reports.get(server.id);
    const why = this.uncheckable(server, view);
    if (why) return { ...(known ?? { serverId: server.id, services: [] }), note: why };
    const stale = !known || engine.clock.now() - (known.checkedAt ?? 0) > this.ctx.settings().serviceChecks.intervalMs;
    if (refresh || stale) return this.checkOne(server);
    return known;
  }

  /** One pass over every server that can be checked, a few at a time. */
  async checkAll(): Promise<void> {
    if (!this.ctx.settings().serviceChecks.enabled) return;
    const { engine } = this.ctx;
    const targets = engine.servers().filter((s) => !this.uncheckable(s, engine.view(s.id)));
    await mapLimit(targets, 8, (s) => this.checkOne(s, true).then(() => undefined));
  }

  forget(id: string): void {
    this.reports.delete(id);
    this.closed.forget(id);
  }

  /** `loop`: a pass of the services loop, which may leave closed common ports unknocked (services/closed-ports.ts). */
  private async checkOne(server: ServerConfig, loop = false): Promise<ServiceReport> {
    const sc = this.ctx.settings().serviceChecks;
    this.checker.configure({ commonPorts: sc.commonPorts, timeoutMs: sc.timeoutMs });
    const unchanged = loop ? this.closed.reusable(server.id, server.address, this.reports.get(server.id)) : [];
    const report = await this.checker.check({ id: server.id, address: server.address, ports: server.ports }, () => this.ctx.engine.clock.now(), unchanged);
    this.closed.checked(server.id, server.address, unchanged.length > 0);
    this.reports.set(server.id, report);
    return report;
  }

  private uncheckable(server: ServerConfig, view: ServerView | undefined): string | undefined {
    if (!this.ctx.settings().serviceChecks.enabled) return 'Service checks are turned off.';
    if (!view) return 'Unknown server.';
    if (!UP.has(view.power)) return `It is ${view.power.replace('_', ' ')}: services are checked while it runs.`;
    if (server.address.trim() === '') return 'It has no address known yet.';
    // A guest with no address of its own carries its node's: checking it would show the node's services.
    const parent = server.parentId ? this.ctx.engine.find(server.parentId) : undefined;
    if (parent && parent.address === server.address && (server.kind === 'vm' || server.kind === 'lxc')) return 'It has no address of its own yet.';
    return undefined;
  }
}
