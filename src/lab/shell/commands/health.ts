import { labHealth, type HostHealth } from '../../hosts/health';
import type { FileProvider } from '../vfs';
import { fail, ok, type Command, type CommandTable, type ExecContext } from '../types';
import { powerCommands } from './power';
import { smartctl } from './smartctl';

/**
 * The health tools of a Linux host as the checks read them: lm-sensors' `sensors -j`, smartctl
 * (smartctl.ts), `systemctl --failed`, `apt list --upgradable` and /var/run/reboot-required,
 * printing what the host's health (hosts/health.ts) says, laid out as the real tools do.
 */

const t = (n: number) => n.toFixed(3);

/** lm-sensors 3.6's JSON: three-space indents, a chip per key, `"feature":{` with no space, values with three decimals. */
function sensorsJson(ctx: ExecContext, h: HostHealth): string {
  const chips: Array<[string, string, Array<[string, Array<[string, number]>]>]> = [];
  const cpu = h.cpuTempC;
  if (/AMD/i.test(ctx.machine.spec.cpuModel)) {
    chips.push(['k10temp-pci-00c3', 'PCI adapter', [['Tctl', [['temp1_input', cpu]]]]]);
  } else {
    const cores = Math.max(1, Math.min(8, Math.floor(ctx.machine.spec.cpus / 2)));
    const features: Array<[string, Array<[string, number]>]> = [['Package id 0', [['temp1_input', cpu], ['temp1_max', 80], ['temp1_crit', 100], ['temp1_crit_alarm', cpu >= 100 ? 1 : 0]]]];
    for (let i = 0; i < cores; i++) {
      const n = i + 2;
      const c = cpu - 2 - (i % 3);
      features.push([`Core ${i}`, [[`temp${n}_input`, c], [`temp${n}_max`, 80], [`temp${n}_crit`, 100], [`temp${n}_crit_alarm`, c >= 100 ? 1 : 0]]]);
    }
    chips.push(['coretemp-isa-0000', 'ISA adapter', features]);
  }
  chips.push(['acpitz-acpi-0', 'ACPI interface', [['temp1', [['temp1_input', 27.8], ['temp1_crit', 119]]]]]);
  h.disks.forEach((d, i) => {
    if (d.protocol === 'NVMe') {
      chips.push([`nvme-pci-0${i + 1}00`, 'PCI adapter', [
        ['Composite', [['temp1_input', d.tempC + 0.85], ['temp1_max', 81.85], ['temp1_min', -273.15], ['temp1_crit', 84.85], ['temp1_alarm', d.tempC + 0.85 >= 81.85 ? 1 : 0]]],
        ['Sensor 1', [['temp2_input', d.tempC + 0.85], ['temp2_max', 65261.85], ['temp2_min', -273.15]]],
      ]]);
    } else {
      chips.push([`drivetemp-scsi-${i - 1}-0`, 'SCSI adapter', [['temp1', [['temp1_input', d.tempC], ['temp1_max', 65], ['temp1_min', 0], ['temp1_crit', 70], ['temp1_lcrit', -5], ['temp1_lowest', 21], ['temp1_highest', d.tempC + 9]]]]]);
    }
  });
  const chipText = chips.map(([name, adapter, features]) => {
    const f = features.map(([fname, values]) => `      "${fname}":{\n${values.map(([k, v]) => `         "${k}": ${t(v)}`).join(',\n')}\n      }`);
    return `   "${name}":{\n      "Adapter": "${adapter}",\n${f.join(',\n')}\n   }`;
  });
  return `{\n${chipText.join(',\n')}\n}\n`;
}

const sensors: Command = (args, ctx) => {
  const h = labHealth(ctx.machine.spec);
  if (!h.lmSensors) return fail('bash: sensors: command not found\n', 127);
  if (!args.includes('-j')) return fail('sensors (lab): only -j output is simulated\n', 1);
  return ok(sensorsJson(ctx, h));
};

/** `systemctl --failed` / `list-units --failed`, with or without the legend; every other verb is power.ts's. */
const systemctl: Command = (args, ctx, stdin) => {
  const failedQuery = args.includes('--failed') || args.includes('--state=failed');
  const verbs = args.filter((a) => !a.startsWith('-'));
  if (!failedQuery || (verbs.length && verbs[0] !== 'list-units')) return (powerCommands.systemctl as Command)(args, ctx, stdin);
  const units = labHealth(ctx.machine.spec).failedUnits;
  const plain = args.includes('--plain');
  const legend = !args.includes('--no-legend') && !args.includes('--legend=no');
  const rows = units.map((u) => [u.unit, 'loaded', 'failed', 'failed', u.description]);
  const width = (i: number) => Math.max(i === 0 ? 4 : [4, 6, 3][i - 1] ?? 0, ...rows.map((r) => (r[i] ?? '').length));
  const line = (r: readonly string[], mark: string) => `${plain ? '' : mark}${r.slice(0, 4).map((c, i) => c.padEnd(width(i))).join(' ')} ${r[4] ?? ''}`.trimEnd();
  let out = '';
  if (legend) out += `${line(['UNIT', 'LOAD', 'ACTIVE', 'SUB', 'DESCRIPTION'], '  ')}\n`;
  out += rows.map((r) => `${line(r, '● ')}\n`).join('');
  if (legend) {
    out +=
      '\nLOAD   = Reflects whether the unit definition was properly loaded.\nACTIVE = The high-level unit activation state, i.e. generalization of SUB.\nSUB    = The low-level unit activation state, values depend on unit type.\n' +
      `${units.length} loaded units listed.\n`;
  }
  return ok(out);
};

const APT_WARNING = '\nWARNING: apt does not have a stable CLI interface. Use with caution in scripts.\n\n';

const apt: Command = (args, ctx) => {
  if (args[0] !== 'list' || !args.includes('--upgradable')) return fail('E: apt (lab): only `apt list --upgradable` is simulated\n', 100);
  const ups = labHealth(ctx.machine.spec).upgradable;
  const arch = (name: string) => (name === 'tzdata' || name === 'base-files' ? (name === 'tzdata' ? 'all' : 'amd64') : 'amd64');
  return { stdout: `Listing...\n${ups.map((u) => `${u.name}/${u.suite} ${u.version} ${arch(u.name)} [upgradable from: ${u.from}]\n`).join('')}`, stderr: APT_WARNING, code: 0 };
};

const rebootFile = (suffix: string) => (path: string, ctx: ExecContext): string | undefined => {
  if (path !== `/var/run/reboot-required${suffix}` && path !== `/run/reboot-required${suffix}`) return undefined;
  const pkgs = labHealth(ctx.machine.spec).rebootRequired;
  if (!pkgs) return undefined;
  return suffix ? pkgs.map((p) => `${p}\n`).join('') : '*** System restart required ***\n';
};

export const healthFiles: FileProvider = {
  read: (path, ctx) => rebootFile('')(path, ctx) ?? rebootFile('.pkgs')(path, ctx),
};

export const healthCommands: CommandTable = { smartctl, sensors, systemctl, apt };
