import * as z from 'zod';
import { apiPath, type ProxmoxApi } from './api';
import { QEMU_LIST_AUDIT, qemuListEntrySchema, runInfoOf, type QemuRunInfo } from './model/guest-lists';
import { reportList, type ParseIssue } from './model/report';

/**
 * One node's VMs with their QMP run state: `GET /nodes/{node}/qemu?full=1`, the one request
 * that says which running VMs are paused (and, on PVE 9, their pressure figures).
 */
export async function qemuRunStates(api: ProxmoxApi, node: string): Promise<{ vms: QemuRunInfo[]; issues: ParseIssue[] }> {
  const raw = await api.get(apiPath`/nodes/${node}/qemu`, z.unknown(), { full: true });
  const { items, issues } = reportList(qemuListEntrySchema, raw, `GET /nodes/${node}/qemu`, {
    label: (e, i) => (e.vmid !== undefined ? `qemu/${String(e.vmid)}` : `entry ${i + 1}`),
    audit: QEMU_LIST_AUDIT,
  });
  return { vms: items.map(runInfoOf), issues };
}
