import { labHealth, type LabDisk } from '../../hosts/health';
import { fail, ok, type Command, type ExecContext } from '../types';

/**
 * smartmontools 7.3's `smartctl` as it answers `--scan --json` and `-H -A --json <device>`:
 * the same keys, order and two-space layout, the exit status bit mask (2: the device could not
 * be opened, as for a user who is not root; 8: the disk reports its health FAILING).
 */

function header(ctx: ExecContext, argv: readonly string[], exit: number, messages?: Array<{ string: string; severity: string }>) {
  return {
    json_format_version: [1, 0],
    smartctl: {
      version: [7, 3],
      svn_revision: '5338',
      platform_info: `x86_64-linux-${ctx.machine.spec.kernel.release}`,
      build_info: '(local build)',
      argv: ['smartctl', ...argv],
      ...(messages ? { messages } : {}),
      exit_status: exit,
    },
  };
}

function deviceInfo(d: LabDisk) {
  return d.protocol === 'NVMe' ? { name: d.device, info_name: d.device, type: 'nvme', protocol: 'NVMe' } : { name: d.device, info_name: `${d.device} [SAT]`, type: 'sat', protocol: 'ATA' };
}

function localTime(ctx: ExecContext) {
  const now = ctx.machine.now();
  const d = new Date(now);
  const asctime = `${d.toUTCString().slice(0, 3)} ${d.toUTCString().slice(8, 11)} ${String(d.getUTCDate()).padStart(2, ' ')} ${d.toISOString().slice(11, 19)} ${d.getUTCFullYear()} UTC`;
  return { time_t: Math.floor(now / 1000), asctime };
}

const flags = (value: number, string: string, prefailure: boolean) => ({ value, string, prefailure, updated_online: true, performance: value === 39, error_rate: string.includes('R'), event_count: string.includes('C'), auto_keep: true });

function ataAttributes(d: LabDisk) {
  const row = (id: number, name: string, value: number, worst: number, thresh: number, f: ReturnType<typeof flags>, raw: number, rawString = String(raw)) => ({
    id,
    name,
    value,
    worst,
    thresh,
    when_failed: !d.passed && id === 5 ? 'now' : '',
    flags: f,
    raw: { value: raw, string: rawString },
  });
  return {
    revision: 16,
    table: [
      row(1, 'Raw_Read_Error_Rate', 200, 200, 51, flags(47, 'POSR-K ', true), 0),
      row(3, 'Spin_Up_Time', 178, 176, 21, flags(39, 'POS--K ', true), 6075),
      row(4, 'Start_Stop_Count', 100, 100, 0, flags(50, '-O--CK ', false), d.powerCycles),
      row(5, 'Reallocated_Sector_Ct', d.passed ? 200 : 1, d.passed ? 200 : 1, 140, flags(51, 'PO--CK ', true), d.reallocated),
      row(9, 'Power_On_Hours', 100 - Math.min(99, Math.floor(d.powerOnHours / 1000)), 100 - Math.min(99, Math.floor(d.powerOnHours / 1000)), 0, flags(50, '-O--CK ', false), d.powerOnHours),
      row(12, 'Power_Cycle_Count', 100, 100, 0, flags(50, '-O--CK ', false), d.powerCycles),
      row(194, 'Temperature_Celsius', 120 - d.tempC, 100, 0, flags(34, '-O---K ', false), d.tempC),
      row(197, 'Current_Pending_Sector', 200, 200, 0, flags(50, '-O--CK ', false), d.pending),
      row(198, 'Offline_Uncorrectable', 100, 253, 0, flags(48, '----CK ', false), 0),
      row(199, 'UDMA_CRC_Error_Count', 200, 200, 0, flags(50, '-O--CK ', false), 0),
    ],
  };
}

function report(ctx: ExecContext, argv: readonly string[], d: LabDisk) {
  const exit = d.passed ? 0 : 8;
  const body: Record<string, unknown> = { ...header(ctx, argv, exit), local_time: localTime(ctx), device: deviceInfo(d), smart_status: d.protocol === 'NVMe' ? { passed: d.passed, nvme: { value: d.passed ? 0 : 4 } } : { passed: d.passed } };
  if (d.protocol === 'NVMe') {
    body.nvme_smart_health_information_log = {
      critical_warning: d.passed ? 0 : 4,
      temperature: d.tempC,
      available_spare: 100,
      available_spare_threshold: 10,
      percentage_used: d.percentageUsed,
      data_units_read: d.powerOnHours * 1_931,
      data_units_written: d.powerOnHours * 2_417,
      host_reads: d.powerOnHours * 40_211,
      host_writes: d.powerOnHours * 61_877,
      controller_busy_time: Math.floor(d.powerOnHours / 9),
      power_cycles: d.powerCycles,
      power_on_hours: d.powerOnHours,
      unsafe_shutdowns: Math.floor(d.powerCycles / 12),
      media_errors: d.mediaErrors,
      num_err_log_entries: 0,
      warning_temp_time: 0,
      critical_comp_time: 0,
      temperature_sensors: [d.tempC, d.tempC + 5],
    };
  } else {
    body.ata_smart_attributes = ataAttributes(d);
  }
  body.temperature = { current: d.tempC };
  body.power_cycle_count = d.powerCycles;
  body.power_on_time = { hours: d.powerOnHours };
  return { exit, body };
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

export const smartctl: Command = (args, ctx) => {
  const health = labHealth(ctx.machine.spec);
  const wantsJson = args.some((a) => a === '--json' || a === '-j' || a.startsWith('--json='));
  if (!wantsJson) return fail('smartctl 7.3 (lab): only --json output is simulated\n', 1);
  if (args.includes('--scan') || args.includes('--scan-open')) {
    return ok(json({ ...header(ctx, args, 0), devices: health.disks.map(deviceInfo) }));
  }
  const device = args.filter((a) => !a.startsWith('-')).pop();
  const disk = health.disks.find((d) => d.device === device || (d.protocol === 'NVMe' && device === `${d.device}n1`));
  if (!device) return { stdout: json({ ...header(ctx, args, 1, [{ string: 'ERROR: smartctl requires a device name as the final command-line argument.', severity: 'error' }]) }), stderr: '', code: 1 };
  if (!disk) {
    return { stdout: json({ ...header(ctx, args, 2, [{ string: `Smartctl open device: ${device} failed: No such device`, severity: 'error' }]) }), stderr: '', code: 2 };
  }
  if (!ctx.root) {
    return { stdout: json({ ...header(ctx, args, 2, [{ string: `Smartctl open device: ${disk.device} failed: Permission denied`, severity: 'error' }]), device: deviceInfo(disk) }), stderr: '', code: 2 };
  }
  const r = report(ctx, args, disk);
  return { stdout: json(r.body), stderr: '', code: r.exit };
};
