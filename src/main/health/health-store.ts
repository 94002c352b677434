import * as z from 'zod';
import type { ResetRecord, WatchOptions } from '../../shared/contract/agents';
import { holds, own } from '../../shared/own';
import type { Clock } from '../base/clock';
import { appendReset } from './history';
import type { Logger } from '../base/logger';
import type { JsonFile } from './json-file';
import { lazySchema } from '../../shared/contract/lazy';

const resetRecordSchema = lazySchema(() => z.object({
  id: z.string(),
  serverId: z.string(),
  at: z.number(),
  source: z.enum(['auto', 'manual']),
  reason: z.string(),
  ok: z.boolean(),
  taskStatus: z.string(),
  upid: z.string().optional(),
  finishedAt: z.number().optional(),
}));

const watchSchema = lazySchema(() => z
  .object({
    autoReset: z.boolean(),
    maxAttempts: z.number().int().min(1).max(10),
    windowMs: z.number().int().positive(),
    cooldownMs: z.number().int().positive(),
    staleMs: z.number().int().positive(),
  })
  .partial());

export const healthDocSchema = lazySchema(() => z.object({
  schemaVersion: z.literal(1),
  watch: z.record(z.string(), watchSchema).default({}),
  resets: z.record(z.string(), z.array(resetRecordSchema)).default({}),
  /** Server id → when the watchdog gave up on it; survives a restart so it never resumes silently. */
  needsHuman: z.record(z.string(), z.number()).default({}),
}));
type HealthDoc = z.output<typeof healthDocSchema>;

/** What the schema makes of `{ schemaVersion: 1 }`, written out: no file yet costs no schema (tests/health holds the two equal). */
export const emptyHealthDoc = (): HealthDoc => ({ schemaVersion: 1, watch: {}, resets: {}, needsHuman: {} });
const emptyDoc = emptyHealthDoc;

/** Its file name in the data folder. */
export const HEALTH_FILE = 'health.json';

/**
 * `<home>/health.json`: each server's watchdog options, its reset history and the watchdog's
 * "needs a human" latch. Written atomically; re-read when another process (the CLI) changed it.
 */
export class HealthStore {
  readonly file: string;
  private doc: HealthDoc = emptyDoc();
  private stamp: string | undefined;
  recovery: { backupPath: string; reason: string } | undefined;

  constructor(
    private readonly disk: JsonFile,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {
    this.file = disk.path;
    this.load();
  }

  private load(): void {
    const read = this.disk.read();
    if (read.kind === 'missing') this.doc = emptyDoc();
    else {
      const parsed = read.kind === 'ok' ? healthDocSchema.safeParse(read.value) : undefined;
      if (parsed?.success) this.doc = parsed.data;
      else {
        const reason = read.kind === 'unreadable' ? read.reason : (parsed?.error.issues[0]?.message ?? 'invalid');
        const backupPath = this.disk.setAside(this.clock.now());
        this.recovery = { backupPath, reason };
        this.log.warn(`health.json could not be read (${reason}); kept it as ${backupPath}`);
        this.doc = emptyDoc();
      }
    }
    this.stamp = this.disk.stamp();
  }

  refresh(): void {
    if (this.disk.stamp() !== this.stamp) this.load();
  }

  private write(mutate: (doc: HealthDoc) => void): void {
    this.refresh();
    const next = structuredClone(this.doc);
    mutate(next);
    this.disk.write(next);
    this.doc = next;
    this.stamp = this.disk.stamp();
  }

  watch(serverId: string): Partial<WatchOptions> {
    return { ...(own(this.doc.watch, serverId) ?? {}) };
  }

  setWatch(serverId: string, patch: Partial<WatchOptions>): void {
    this.write((doc) => {
      doc.watch[serverId] = { ...(own(doc.watch, serverId) ?? {}), ...patch };
    });
  }

  resets(serverId: string): readonly ResetRecord[] {
    return own(this.doc.resets, serverId) ?? [];
  }

  addReset(record: ResetRecord): void {
    this.write((doc) => {
      doc.resets[record.serverId] = appendReset(own(doc.resets, record.serverId) ?? [], record);
    });
  }

  /** Fills in a record once its task finished. */
  updateReset(record: ResetRecord): void {
    this.write((doc) => {
      const list = own(doc.resets, record.serverId) ?? [];
      doc.resets[record.serverId] = list.map((r) => (r.id === record.id ? record : r));
    });
  }

  needsHuman(serverId: string): number | undefined {
    return own(this.doc.needsHuman, serverId);
  }

  setNeedsHuman(serverId: string, since: number | undefined): void {
    if (own(this.doc.needsHuman, serverId) === since) return;
    this.write((doc) => {
      if (since === undefined) delete doc.needsHuman[serverId];
      else doc.needsHuman[serverId] = since;
    });
  }

  /** Forgets a server that left the inventory. */
  forget(serverId: string): void {
    if (!holds(this.doc.watch, serverId) && !holds(this.doc.resets, serverId) && !holds(this.doc.needsHuman, serverId)) return;
    this.write((doc) => {
      delete doc.watch[serverId];
      delete doc.resets[serverId];
      delete doc.needsHuman[serverId];
    });
  }
}
