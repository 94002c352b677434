import * as z from 'zod';
import { checkSpecSchema, type CheckDef, type CheckSpec } from '../../shared/contract/checks';
import { HandlerError, notFound } from '../base/errors';
import { lazySchema } from '../../shared/contract/lazy';

/**
 * The check definitions of every server, as `checks.json` holds them (pure: the io adapter reads
 * and writes the file). Edits are checked here, so a bad one throws and changes nothing.
 */
const storedCheck = lazySchema(() => checkSpecSchema.and(z.object({ id: z.string().min(1) })));
export const checksFileSchema = lazySchema(() => z.object({ version: z.literal(1), servers: z.record(z.string(), z.array(storedCheck)) }).strict());
export type ChecksFile = { version: 1; servers: Record<string, CheckDef[]> };

export interface ChecksStore {
  load(warn: (message: string) => void, now: number): ChecksFile;
  save(value: ChecksFile): void;
}

export const MAX_CHECKS_PER_SERVER = 50;

export class CheckBook {
  private readonly servers = new Map<string, CheckDef[]>();

  constructor(file: ChecksFile) {
    for (const [id, checks] of Object.entries(file.servers)) if (checks.length) this.servers.set(id, [...checks]);
  }

  toFile(): ChecksFile {
    return { version: 1, servers: Object.fromEntries([...this.servers].filter(([, c]) => c.length)) };
  }

  of(serverId: string): readonly CheckDef[] {
    return this.servers.get(serverId) ?? [];
  }

  all(): Array<{ serverId: string; check: CheckDef }> {
    return [...this.servers].flatMap(([serverId, checks]) => checks.map((check) => ({ serverId, check })));
  }

  find(serverId: string, id: string): CheckDef | undefined {
    return this.of(serverId).find((c) => c.id === id);
  }

  /** Adds a check; the id is the given one or the kind, numbered when taken. */
  add(serverId: string, spec: CheckSpec): CheckDef {
    const list = [...this.of(serverId)];
    if (list.length >= MAX_CHECKS_PER_SERVER) throw new HandlerError('bad_request', `A server has at most ${MAX_CHECKS_PER_SERVER} checks`);
    if (spec.id !== undefined && list.some((c) => c.id === spec.id)) throw new HandlerError('bad_request', `This server already has a check "${spec.id}"`);
    let id = spec.id ?? spec.kind;
    for (let n = 2; spec.id === undefined && list.some((c) => c.id === id); n++) id = `${spec.kind}-${n}`;
    const check = { ...spec, id } as CheckDef;
    list.push(check);
    this.servers.set(serverId, list);
    return check;
  }

  update(serverId: string, id: string, spec: CheckSpec): CheckDef {
    const list = [...this.of(serverId)];
    const i = list.findIndex((c) => c.id === id);
    if (i < 0) throw notFound(`Check "${id}"`);
    if (spec.id !== undefined && spec.id !== id) throw new HandlerError('bad_request', 'A check keeps its id: remove it and add a new one to rename it');
    const check = { ...spec, id } as CheckDef;
    list[i] = check;
    this.servers.set(serverId, list);
    return check;
  }

  remove(serverId: string, id: string): boolean {
    const list = this.of(serverId);
    const next = list.filter((c) => c.id !== id);
    if (next.length === list.length) return false;
    this.servers.set(serverId, next);
    return true;
  }

  /** A server left the inventory: its checks go with it. */
  forget(serverId: string): boolean {
    return this.servers.delete(serverId);
  }
}
