import * as z from 'zod';
import type { Outcome } from './state';
import { lazySchema } from '../../../shared/contract/lazy';

/**
 * smartctl 7.x's JSON (`smartctl -H -A --json <dev>`, `smartctl --scan --json`) read through
 * zod, loose where smartctl adds fields between versions. The verdict per disk: a failed overall
 * health or an attribute at its threshold is a failure; sectors reallocated, pending or
 * uncorrectable, NVMe media errors or a worn-out NVMe are warnings, since a disk says so early.
 */

const smartctlHeader = lazySchema(() => z.object({ version: z.array(z.number()).optional(), exit_status: z.number().optional(), messages: z.array(z.object({ string: z.string(), severity: z.string().optional() })).optional() }).loose());

const scanSchema = lazySchema(() => z.object({ smartctl: smartctlHeader.optional(), devices: z.array(z.object({ name: z.string(), type: z.string().optional(), protocol: z.string().optional() }).loose()).default([]) }).loose());

const attributeSchema = lazySchema(() => z
  .object({
    id: z.number(),
    name: z.string(),
    value: z.number().optional(),
    thresh: z.number().optional(),
    when_failed: z.string().optional(),
    raw: z.object({ value: z.number() }).loose().optional(),
  })
  .loose());

const reportSchema = lazySchema(() => z
  .object({
    smartctl: smartctlHeader.optional(),
    device: z.object({ name: z.string(), type: z.string().optional(), protocol: z.string().optional() }).loose().optional(),
    model_name: z.string().optional(),
    smart_status: z.object({ passed: z.boolean() }).loose().optional(),
    ata_smart_attributes: z.object({ table: z.array(attributeSchema).default([]) }).loose().optional(),
    nvme_smart_health_information_log: z
      .object({ critical_warning: z.number().optional(), media_errors: z.number().optional(), percentage_used: z.number().optional(), available_spare: z.number().optional(), available_spare_threshold: z.number().optional() })
      .loose()
      .optional(),
    temperature: z.object({ current: z.number() }).loose().optional(),
  })
  .loose());

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const first = text.trim().split('\n')[0] ?? '';
    throw new Error(`${what} did not print JSON${first ? `: ${first.slice(0, 200)}` : ''}`);
  }
}

/** The disks `smartctl --scan --json` found. */
export function parseSmartScan(text: string): string[] {
  const r = scanSchema.safeParse(parseJson(text, 'smartctl --scan'));
  if (!r.success) throw new Error('smartctl --scan printed JSON of an unexpected shape');
  return r.data.devices.map((d) => d.name);
}

/** Attributes (ATA ids) whose raw count going above zero is an early sign of a dying disk. */
const WARN_ATTRIBUTES: Readonly<Record<number, string>> = { 5: 'reallocated sectors', 187: 'uncorrectable errors reported', 197: 'sectors pending reallocation', 198: 'offline uncorrectable sectors' };

/** One disk's report judged. `exit` is smartctl's exit status: a bit mask, bit 1 and 2 mean it could not read the disk. */
export function judgeSmart(device: string, text: string, exit: number): Outcome {
  const raw = parseJson(text, `smartctl on ${device}`);
  const r = reportSchema.safeParse(raw);
  if (!r.success) return { result: 'unknown', message: `${device}: smartctl printed JSON of an unexpected shape` };
  const report = r.data;
  const said = report.smartctl?.messages?.map((m) => m.string).join('; ');
  if (exit & 0b11 || !report.smart_status) {
    return { result: 'unknown', message: `${device}: smartctl could not read the disk${said ? ` (${said})` : ` (exit ${exit})`}` };
  }
  const name = report.model_name ? `${device} (${report.model_name})` : device;
  const details: Record<string, string | number> = {};
  if (report.temperature) details[`${device} °C`] = report.temperature.current;
  if (!report.smart_status.passed || exit & 0b1000) return { result: 'fail', message: `${name}: SMART overall health FAILED`, details };
  const warnings: string[] = [];
  for (const a of report.ata_smart_attributes?.table ?? []) {
    if (a.when_failed && a.when_failed !== '' && a.when_failed !== '-') return { result: 'fail', message: `${name}: attribute ${a.name} failed (${a.when_failed})`, details };
    const label = WARN_ATTRIBUTES[a.id];
    const count = a.raw?.value ?? 0;
    if (label && count > 0) warnings.push(`${count} ${label}`);
  }
  const nvme = report.nvme_smart_health_information_log;
  if (nvme) {
    if ((nvme.critical_warning ?? 0) !== 0) return { result: 'fail', message: `${name}: NVMe critical warning 0x${(nvme.critical_warning ?? 0).toString(16)}`, details };
    if ((nvme.media_errors ?? 0) > 0) warnings.push(`${nvme.media_errors} media errors`);
    if ((nvme.percentage_used ?? 0) >= 90) warnings.push(`${nvme.percentage_used} % of its rated endurance used`);
    if (nvme.available_spare !== undefined && nvme.available_spare_threshold !== undefined && nvme.available_spare <= nvme.available_spare_threshold) warnings.push(`spare at ${nvme.available_spare} %`);
  }
  if (warnings.length) return { result: 'warning', message: `${name}: ${warnings.join(', ')}`, details };
  return { result: 'ok', message: `${name}: PASSED`, details };
}
