import { parse as parseToml } from 'smol-toml';
import * as z from 'zod';
import { serverInputSchema, type ServerInput } from '../../shared/server';
import type { SettingsInput } from '../../shared/settings';

/**
 * Reads an EcoBox `config.toml` (the dashboard Rackdeck grew from): `[dashboard]` timings and
 * `[[servers]]` entries. Pure: returns what to add, or throws an error naming the entry and
 * field at fault, so an import either goes in whole or changes nothing.
 */
const ecoboxServer = z
  .object({
    id: z.string().min(1),
    name: z.string().min(1).optional(),
    hostname: z.string().min(1),
    mac_address: z.string().optional(),
    ssh_user: z.string().optional(),
    ssh_port: z.number().int().optional(),
    ssh_key_path: z.string().optional(),
    parent_server_id: z.string().optional(),
  })
  .passthrough();

const ecoboxConfig = z
  .object({
    dashboard: z
      .object({
        update_interval: z.number().positive().optional(),
        wol_retry_interval: z.number().positive().optional(),
        system_check_interval: z.number().positive().optional(),
        init_check_interval: z.number().positive().optional(),
        vm_discovery_interval: z.number().positive().optional(),
      })
      .passthrough()
      .optional(),
    servers: z.array(ecoboxServer).default([]),
  })
  .passthrough();

interface EcoboxImport {
  /** In an order where every parent comes before its children; `parent` names the parent. */
  servers: (ServerInput & { parent?: string })[];
  settings: Partial<SettingsInput>;
  /** Settings EcoBox has that Rackdeck keeps elsewhere or not at all, said rather than dropped silently. */
  notes: string[];
}

export function parseEcoboxConfig(text: string): EcoboxImport {
  let raw: unknown;
  try {
    raw = parseToml(text);
  } catch (error) {
    throw new Error(`not valid TOML: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
  const parsed = ecoboxConfig.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${issue?.path.join('.') || 'file'}: ${issue?.message ?? 'invalid'}`);
  }
  const entries = parsed.data.servers;
  const nameOf = new Map(entries.map((e) => [e.id, e.name ?? e.id]));
  const servers: EcoboxImport['servers'] = [];
  for (const e of entries) {
    const candidate: ServerInput = {
      name: e.name ?? e.id,
      address: e.hostname,
      ...(e.mac_address ? { mac: e.mac_address } : {}),
      ports: [e.ssh_port ?? 22],
      ...(e.ssh_user ? { ssh: { user: e.ssh_user, port: e.ssh_port ?? 22, auth: 'key' as const, ...(e.ssh_key_path ? { keyPath: e.ssh_key_path } : {}) } } : {}),
    };
    const check = serverInputSchema.safeParse(candidate);
    if (!check.success) {
      const issue = check.error.issues[0];
      throw new Error(`servers "${e.id}": ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
    }
    if (e.parent_server_id && !nameOf.has(e.parent_server_id)) {
      throw new Error(`servers "${e.id}": parent_server_id "${e.parent_server_id}" is not in the file`);
    }
    servers.push({ ...candidate, ...(e.parent_server_id ? { parent: nameOf.get(e.parent_server_id) as string } : {}) });
  }
  const d = parsed.data.dashboard ?? {};
  const settings: Partial<SettingsInput> = d.update_interval ? { statusIntervalMs: Math.round(d.update_interval * 1000) } : {};
  const notes: string[] = [];
  if (d.wol_retry_interval) notes.push(`wol_retry_interval (${d.wol_retry_interval} s) is Rackdeck's reconcile interval, 10 s by default`);
  if (d.system_check_interval) notes.push(`system_check_interval (${d.system_check_interval} s) is the metrics interval, set in the Alerts panel's settings`);
  return { servers: parentsFirst(servers), settings, notes };
}

function parentsFirst(servers: EcoboxImport['servers']): EcoboxImport['servers'] {
  const out: EcoboxImport['servers'] = [];
  const placed = new Set<string>();
  let pending = [...servers];
  while (pending.length > 0) {
    const ready = pending.filter((s) => !s.parent || placed.has(s.parent));
    if (ready.length === 0) throw new Error(`parent_server_id forms a cycle: ${pending.map((s) => s.name).join(', ')}`);
    for (const s of ready) {
      out.push(s);
      placed.add(s.name);
    }
    pending = pending.filter((s) => !ready.includes(s));
  }
  return out;
}
