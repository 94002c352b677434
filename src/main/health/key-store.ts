import * as z from 'zod';
import type { AgentKeyInfo } from '../../shared/contract/agents';
import type { Clock } from '../base/clock';
import type { Logger } from '../base/logger';
import type { JsonFile } from './json-file';
import { newAgentKey, parseAgentKey, secretMatches } from './keys';
import { lazySchema } from '../../shared/contract/lazy';

const storedKeySchema = lazySchema(() => z.object({
  id: z.string().regex(/^[0-9a-f]{16}$/),
  serverId: z.string().min(1),
  label: z.string().optional(),
  salt: z.string().regex(/^[0-9a-f]{32}$/),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.number(),
  revokedAt: z.number().optional(),
}));
type StoredKey = z.infer<typeof storedKeySchema>;

const receiverConfigSchema = lazySchema(() => z.object({
  enabled: z.boolean().default(false),
  host: z.string().default('127.0.0.1'),
  // 0 asks the OS for a free port (tests); the contract only lets the admin pick 1–65535.
  port: z.number().int().min(0).max(65535).default(7374),
  publicUrl: z.string().optional(),
}));
export type ReceiverConfig = z.output<typeof receiverConfigSchema>;

export const agentsDocSchema = lazySchema(() => z.object({
  schemaVersion: z.literal(1),
  receiver: receiverConfigSchema.default({ enabled: false, host: '127.0.0.1', port: 7374 }),
  keys: z.array(storedKeySchema).default([]),
}));
type AgentsDoc = z.output<typeof agentsDocSchema>;

/** What the schema makes of `{ schemaVersion: 1 }`, written out: no file yet costs no schema (tests/health holds the two equal). */
export const emptyAgentsDoc = (): AgentsDoc => ({ schemaVersion: 1, receiver: { enabled: false, host: '127.0.0.1', port: 7374 }, keys: [] });
const emptyDoc = emptyAgentsDoc;

export type KeyCheck =
  | { ok: true; keyId: string; serverId: string }
  | { ok: false; reason: 'missing' | 'malformed' | 'unknown' | 'revoked'; keyId?: string };

/** Its file name in the data folder. */
export const AGENTS_FILE = 'agents.json';

/**
 * `<home>/agents.json`: the receiver's settings and every agent key (hashed). The CLI and a
 * running Rackdeck may both write it, so every read first notices a change on disk and every
 * write starts from what is on disk: a key created or revoked from the CLI takes effect in the
 * running receiver on its next request.
 */
export class AgentKeyStore {
  readonly file: string;
  private doc: AgentsDoc = emptyDoc();
  private stamp: string | undefined;
  private lastUsed = new Map<string, number>();
  /** Set when the file on disk could not be read and was moved aside. */
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
    if (read.kind === 'missing') {
      this.doc = emptyDoc();
    } else {
      const parsed = read.kind === 'ok' ? agentsDocSchema.safeParse(read.value) : undefined;
      if (parsed?.success) {
        this.doc = parsed.data;
      } else {
        const reason = read.kind === 'unreadable' ? read.reason : (parsed?.error.issues[0]?.message ?? 'invalid');
        const backupPath = this.disk.setAside(this.clock.now());
        this.recovery = { backupPath, reason };
        this.log.warn(`agents.json could not be read (${reason}); kept it as ${backupPath}`);
        this.doc = emptyDoc();
      }
    }
    this.stamp = this.disk.stamp();
  }

  private refresh(): void {
    if (this.disk.stamp() !== this.stamp) this.load();
  }

  private write(mutate: (doc: AgentsDoc) => AgentsDoc): void {
    this.refresh();
    const next = agentsDocSchema.parse(mutate(structuredClone(this.doc)));
    this.disk.write(next);
    this.doc = next;
    this.stamp = this.disk.stamp();
  }

  receiver(): ReceiverConfig {
    this.refresh();
    return { ...this.doc.receiver };
  }

  setReceiver(patch: Partial<ReceiverConfig>): ReceiverConfig {
    this.write((doc) => {
      const receiver = { ...doc.receiver, ...patch };
      if (patch.publicUrl === undefined && 'publicUrl' in patch) delete receiver.publicUrl;
      return { ...doc, receiver };
    });
    return this.receiver();
  }

  /** Creates a key for a server; the only moment its value exists outside the agent. */
  create(serverId: string, label?: string): { key: string; info: AgentKeyInfo } {
    const k = newAgentKey();
    const stored: StoredKey = { id: k.id, serverId, salt: k.salt, hash: k.hash, createdAt: this.clock.now(), ...(label ? { label } : {}) };
    this.write((doc) => ({ ...doc, keys: [...doc.keys, stored] }));
    return { key: k.key, info: this.info(stored) };
  }

  revoke(keyId: string): string[] {
    return this.revokeWhere((k) => k.id === keyId);
  }

  revokeServer(serverId: string): string[] {
    return this.revokeWhere((k) => k.serverId === serverId);
  }

  private revokeWhere(match: (k: StoredKey) => boolean): string[] {
    this.refresh();
    const ids = this.doc.keys.filter((k) => match(k) && k.revokedAt === undefined).map((k) => k.id);
    if (ids.length === 0) return [];
    const now = this.clock.now();
    this.write((doc) => ({ ...doc, keys: doc.keys.map((k) => (ids.includes(k.id) ? { ...k, revokedAt: now } : k)) }));
    return ids;
  }

  list(serverId?: string): AgentKeyInfo[] {
    this.refresh();
    return this.doc.keys.filter((k) => serverId === undefined || k.serverId === serverId).map((k) => this.info(k));
  }

  hasActiveKey(serverId: string): boolean {
    this.refresh();
    return this.doc.keys.some((k) => k.serverId === serverId && k.revokedAt === undefined);
  }

  /** Checks a presented key. Never logs or keeps the key; the id alone names it in logs. */
  verify(presented: string | undefined): KeyCheck {
    if (!presented) return { ok: false, reason: 'missing' };
    const parsed = parseAgentKey(presented);
    if (!parsed) return { ok: false, reason: 'malformed' };
    this.refresh();
    const stored = this.doc.keys.find((k) => k.id === parsed.id);
    if (!stored || !secretMatches(parsed.secret, stored.salt, stored.hash)) return { ok: false, reason: 'unknown' };
    if (stored.revokedAt !== undefined) return { ok: false, reason: 'revoked', keyId: stored.id };
    this.lastUsed.set(stored.id, this.clock.now());
    return { ok: true, keyId: stored.id, serverId: stored.serverId };
  }

  private info(k: StoredKey): AgentKeyInfo {
    const used = this.lastUsed.get(k.id);
    return {
      id: k.id,
      serverId: k.serverId,
      createdAt: k.createdAt,
      ...(k.label ? { label: k.label } : {}),
      ...(k.revokedAt !== undefined ? { revokedAt: k.revokedAt } : {}),
      ...(used !== undefined ? { lastUsedAt: used } : {}),
    };
  }
}
