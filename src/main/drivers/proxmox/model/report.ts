import type * as z from 'zod';
import { toBool, toNumber } from './parse';

/**
 * Pure: what a Proxmox answer held that Rackdeck could not read, named by endpoint, entry and
 * field. Real servers send numbers as strings, leave fields out on stopped guests and offline
 * nodes, and add fields of their own: the schemas coerce what PVE is known to send, and what
 * is left unreadable is reported here instead of failing the whole answer (or hiding silently).
 */
export interface ParseIssue {
  /** "GET /cluster/resources". */
  endpoint: string;
  /** Which entry of a list: "qemu/100", "entry 3". */
  entry?: string;
  /** The field, "vmid", or "data" for the answer as a whole. */
  field: string;
  problem: string;
}

export function issueText(i: ParseIssue): string {
  return `${i.endpoint}${i.entry ? ` (${i.entry})` : ''}: ${i.field} ${i.problem}`;
}

const shown = (v: unknown): string => {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
};

export interface FieldKinds {
  numbers?: readonly string[];
  flags?: readonly string[];
}

/**
 * Fields that are present but hold something their kind cannot be read from (a number field
 * with "lots", a flag with "maybe"). Absent, null and "" count as absent, not as unreadable:
 * that is how PVE leaves out what a stopped guest or an offline node does not have.
 */
export function unreadableFields(raw: unknown, kinds: FieldKinds): { field: string; problem: string }[] {
  if (typeof raw !== 'object' || raw === null) return [];
  const rec = raw as Record<string, unknown>;
  const out: { field: string; problem: string }[] = [];
  const present = (v: unknown) => v !== undefined && v !== null && v !== '';
  for (const f of kinds.numbers ?? []) {
    const v = rec[f];
    if (present(v) && toNumber(v) === undefined) out.push({ field: f, problem: `is not a number: ${shown(v)}` });
  }
  for (const f of kinds.flags ?? []) {
    const v = rec[f];
    if (present(v) && toBool(v) === undefined) out.push({ field: f, problem: `is not 0/1: ${shown(v)}` });
  }
  return out;
}

/**
 * Parses a list entry by entry (one odd entry hides nothing else), reporting every entry that
 * could not be read and every unreadable optional field of the ones that could.
 */
export function reportList<S extends z.ZodType>(
  schema: S,
  raw: unknown,
  endpoint: string,
  options: { label?: (entry: Record<string, unknown>, index: number) => string; audit?: FieldKinds } = {},
): { items: z.output<S>[]; issues: ParseIssue[] } {
  const issues: ParseIssue[] = [];
  if (!Array.isArray(raw)) {
    if (raw !== null && raw !== undefined) issues.push({ endpoint, field: 'data', problem: `is not a list: ${shown(raw)}` });
    return { items: [], issues };
  }
  const items: z.output<S>[] = [];
  raw.forEach((entry, index) => {
    const rec = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : {};
    const label = options.label?.(rec, index) ?? `entry ${index + 1}`;
    const r = schema.safeParse(entry);
    if (!r.success) {
      for (const i of r.error.issues) issues.push({ endpoint, entry: label, field: i.path.join('.') || 'entry', problem: i.message });
      return;
    }
    items.push(r.data as z.output<S>);
    if (options.audit) for (const u of unreadableFields(entry, options.audit)) issues.push({ endpoint, entry: label, ...u });
  });
  return { items, issues };
}
