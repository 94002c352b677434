import * as z from 'zod';
import type { AgentFigures } from '../../shared/contract/agents';
import { lazySchema } from '../../shared/contract/lazy';

const bytes = (field: string) =>
  z
    .number({ error: `${field} must be a number of bytes` })
    .int(`${field} must be a whole number of bytes`)
    .min(0, `${field} cannot be negative`)
    .max(Number.MAX_SAFE_INTEGER, `${field} is too large`);

/**
 * The body of `POST /api/health/report`. Unknown fields are dropped (a newer agent may send
 * more); every known one is checked, and a used figure above its total is refused, because a
 * broken agent's numbers would otherwise draw nonsense charts.
 */
export const agentReportSchema = lazySchema(() => z
  .object({
    hostname: z
      .string({ error: 'hostname must be a string' })
      .trim()
      .min(1, 'hostname is required')
      .max(253, 'hostname is at most 253 characters')
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'hostname may hold only letters, digits, dots, dashes and underscores'),
    vmid: z
      .union([z.number().int().min(1).max(999_999_999), z.string().regex(/^\d{1,9}$/).transform(Number)], {
        error: 'vmid must be a guest id like 100',
      })
      .optional(),
    node: z
      .string({ error: 'node must be a string' })
      .regex(/^[A-Za-z0-9][A-Za-z0-9.-]{0,62}$/, 'node must be a Proxmox node name')
      .optional(),
    cpuPercent: z.number({ error: 'cpuPercent must be a number' }).min(0, 'cpuPercent is 0 to 100').max(100, 'cpuPercent is 0 to 100'),
    memUsedBytes: bytes('memUsedBytes'),
    memTotalBytes: bytes('memTotalBytes'),
    diskUsedBytes: bytes('diskUsedBytes'),
    diskTotalBytes: bytes('diskTotalBytes'),
    uptimeSeconds: z.number({ error: 'uptimeSeconds must be a number' }).min(0, 'uptimeSeconds cannot be negative'),
    timestamp: z.number({ error: 'timestamp must be Unix seconds' }).int('timestamp must be whole Unix seconds').min(0, 'timestamp cannot be negative'),
    agent: z.string({ error: 'agent must be a string' }).max(64, 'agent is at most 64 characters').optional(),
  })
  .superRefine((r, ctx) => {
    if (r.memUsedBytes > r.memTotalBytes) ctx.addIssue({ code: 'custom', path: ['memUsedBytes'], message: 'memUsedBytes is above memTotalBytes' });
    if (r.diskUsedBytes > r.diskTotalBytes) ctx.addIssue({ code: 'custom', path: ['diskUsedBytes'], message: 'diskUsedBytes is above diskTotalBytes' });
  }));

export function toFigures(r: z.output<typeof agentReportSchema>): AgentFigures {
  return {
    hostname: r.hostname,
    ...(r.vmid !== undefined ? { vmid: r.vmid } : {}),
    ...(r.node !== undefined ? { node: r.node } : {}),
    cpuPercent: r.cpuPercent,
    memUsedBytes: r.memUsedBytes,
    memTotalBytes: r.memTotalBytes,
    diskUsedBytes: r.diskUsedBytes,
    diskTotalBytes: r.diskTotalBytes,
    uptimeSeconds: r.uptimeSeconds,
    timestamp: r.timestamp,
    ...(r.agent !== undefined ? { agent: r.agent } : {}),
  };
}
