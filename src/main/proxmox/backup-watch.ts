import type { GuestBackupView, ProxmoxGuestInfo, ProxmoxSettings } from '../../shared/contract/proxmox';
import { createLoop, type Loop } from '../base/loop';
import type { LastBackup } from '../drivers/proxmox/model/backups';
import type { ClusterBook, ClusterRuntime } from './cluster-book';
import { guestServerId } from './inventory-map';
import type { ProxmoxEnginePort } from './port';

/** Pure: what a guest's card says of its backups, from the cluster's last scan. */
export function backupView(scan: { at: number; last: ReadonlyMap<number, LastBackup>; storages: readonly string[] } | undefined, vmid: number, now: number, maxAgeMs: number): GuestBackupView | undefined {
  if (!scan) return undefined;
  const last = scan.last.get(vmid);
  // Nothing readable at all (no backup storage the token may see, no vzdump task): not "never backed up", just unknown.
  if (!last && scan.storages.length === 0 && scan.last.size === 0) return undefined;
  if (!last) return { scannedAt: scan.at, stale: true };
  const lastOkAt = last.at * 1000;
  return { lastOkAt, source: last.source, ...(last.volid ? { volid: last.volid } : {}), scannedAt: scan.at, stale: now - lastOkAt > maxAgeMs };
}

export interface BackupWatchDeps {
  engine: ProxmoxEnginePort;
  book: ClusterBook;
  settings(): ProxmoxSettings;
}

export interface BackupScanReport {
  cluster: string;
  guests: number;
  backedUp: number;
  issues: string[];
}

/**
 * The age of every guest's last successful backup: each cluster's backup storages and recent
 * tasks are read after its first refresh and then every `backupScanIntervalMs` (15 min by
 * default), apart from the discovery refresh so its request budget stays 1 + nodes.
 */
export class BackupWatch {
  private loop: Loop | undefined;
  private readonly scanning = new Map<string, Promise<BackupScanReport>>();

  constructor(private readonly deps: BackupWatchDeps) {}

  start(): void {
    const { engine } = this.deps;
    this.loop = createLoop('proxmox backups', this.deps.settings().backupScanIntervalMs, () => this.scanStale(), { clock: engine.clock, log: engine.log });
    this.loop.start();
  }

  stop(): void {
    this.loop?.stop();
    this.loop = undefined;
  }

  /** The settings changed: the loop follows the new interval. */
  settingsChanged(): void {
    this.loop?.setInterval(this.deps.settings().backupScanIntervalMs);
  }

  /** After a refresh: a cluster seen for the first time is scanned at once (in the background). */
  afterRefresh(rt: ClusterRuntime): void {
    if (!this.loop || rt.backups || rt.status.state !== 'ok') return;
    void this.scan(rt).catch((error: unknown) => this.deps.engine.log.warn(`backups of Proxmox cluster ${rt.config.name} could not be read`, error));
  }

  /** Scans one cluster now (one at a time per cluster); its guests' cards are redrawn. */
  scan(rt: ClusterRuntime): Promise<BackupScanReport> {
    const name = rt.config.name;
    const running = this.scanning.get(name);
    if (running) return running;
    const p = this.read(rt).finally(() => this.scanning.delete(name));
    this.scanning.set(name, p);
    return p;
  }

  view(rt: ClusterRuntime, g: Pick<ProxmoxGuestInfo, 'vmid'>): GuestBackupView | undefined {
    return backupView(rt.backups, g.vmid, this.deps.engine.clock.now(), this.deps.settings().backupMaxAgeHours * 3_600_000);
  }

  private async scanStale(): Promise<void> {
    const now = this.deps.engine.clock.now();
    const interval = this.deps.settings().backupScanIntervalMs;
    const due = this.deps.book.all().filter((rt) => rt.last && rt.status.state === 'ok' && (!rt.backups || now - rt.backups.at >= interval));
    for (const rt of due) await this.scan(rt).catch((error: unknown) => this.deps.engine.log.warn(`backups of Proxmox cluster ${rt.config.name} could not be read`, error));
  }

  private async read(rt: ClusterRuntime): Promise<BackupScanReport> {
    const { engine, book } = this.deps;
    const res = rt.last?.resources;
    if (!res) throw new Error(`cluster ${rt.config.name} has not been refreshed yet`);
    const online = new Set(res.nodes.filter((n) => n.status === 'online').map((n) => n.name));
    const scan = await book.clientOf(rt).backups(res.storage, (node) => online.has(node));
    rt.backups = { at: engine.clock.now(), last: scan.last, storages: scan.storages, issues: scan.issues };
    for (const g of res.guests) engine.touch(guestServerId(rt.config.name, g));
    const guests = res.guests.filter((g) => !g.template);
    return { cluster: rt.config.name, guests: guests.length, backedUp: guests.filter((g) => scan.last.has(g.vmid)).length, issues: scan.issues };
  }
}
