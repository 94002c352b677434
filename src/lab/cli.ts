import { startLab, type Lab, type LabOptions } from './lab';

/**
 * `rackdeck lab`: runs a lab in the foreground for demos and manual testing. Prints one JSON
 * line (the lab's description) once every host is listening, then runs until SIGINT/SIGTERM.
 * Arguments are parsed strictly: a typo must not silently start a different lab.
 */
export const LAB_USAGE = `usage: rackdeck lab [--hosts N] [--guests M] [--pve 9|8] [--seed S] [--single-address] [--base-port P]
                   [--first-address 127.x.y.z] [--state-dir D] [--wol-port P]
                   [--boot-delay-ms MS] [--suspend-delay-ms MS] [--wol-per-host]`;

export class LabUsageError extends Error {}

export interface LabCliIo {
  out(line: string): void;
  err(line: string): void;
  /** Resolves when the lab should stop (SIGINT/SIGTERM by default). */
  untilStopped(lab: Lab): Promise<void>;
  setExitCode(code: number): void;
}

const NUMERIC: Readonly<Record<string, { key: keyof LabOptions; min: number; max: number }>> = {
  '--hosts': { key: 'hosts', min: 0, max: 20000 },
  '--seed': { key: 'seed', min: 0, max: 0xffffffff },
  '--base-port': { key: 'basePort', min: 1024, max: 65535 },
  '--wol-port': { key: 'wolPort', min: 0, max: 65535 },
  '--boot-delay-ms': { key: 'bootDelayMs', min: 0, max: 3_600_000 },
  '--suspend-delay-ms': { key: 'suspendDelayMs', min: 0, max: 3_600_000 },
};
const MAX_GUESTS = 20000;

/** `--pve 9|8`: the Proxmox VE release the simulated cluster runs. */
export function parsePveVersion(text: string, flag = '--pve'): 9 | 8 {
  if (text === '9' || text === '8') return text === '9' ? 9 : 8;
  throw new LabUsageError(`${flag} must be 9 or 8, got '${text}'`);
}

export function parseLabArgs(argv: readonly string[]): LabOptions | 'help' {
  const options: Record<string, unknown> = {};
  let guests: number | undefined;
  let version: 9 | 8 | undefined;
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i] as string;
    const eq = raw.indexOf('=');
    const flag = raw.startsWith('--') && eq > 0 ? raw.slice(0, eq) : raw;
    const inline = raw.startsWith('--') && eq > 0 ? raw.slice(eq + 1) : undefined;
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith('--'))) throw new LabUsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === '--help' || flag === '-h') return 'help';
    if (flag === '--guests') {
      const text = value();
      if (!/^\d+$/.test(text)) throw new LabUsageError(`${flag} expects a whole number, got '${text}'`);
      const n = Number(text);
      if (n > MAX_GUESTS) throw new LabUsageError(`${flag} must be between 0 and ${MAX_GUESTS}, got ${n}`);
      guests = n;
      continue;
    }
    if (flag === '--pve') {
      version = parsePveVersion(value(), flag);
      continue;
    }
    const numeric = NUMERIC[flag];
    if (numeric) {
      const text = value();
      if (!/^\d+$/.test(text)) throw new LabUsageError(`${flag} expects a whole number, got '${text}'`);
      const n = Number(text);
      if (n < numeric.min || n > numeric.max) throw new LabUsageError(`${flag} must be between ${numeric.min} and ${numeric.max}, got ${n}`);
      options[numeric.key] = n;
    } else if (flag === '--single-address' || flag === '--wol-per-host') {
      if (inline !== undefined) throw new LabUsageError(`${flag} takes no value`);
      options[flag === '--single-address' ? 'singleAddress' : 'wolPerHost'] = true;
    } else if (flag === '--state-dir') {
      options.stateDir = value();
    } else if (flag === '--first-address') {
      const address = value();
      if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address) || address.split('.').some((o) => Number(o) > 255)) {
        throw new LabUsageError(`--first-address must be in 127.0.0.0/8, got '${address}'`);
      }
      options.firstAddress = address;
    } else {
      throw new LabUsageError(`unknown argument '${raw}'`);
    }
  }
  if (guests === 0) options.proxmox = false;
  else if (guests !== undefined || version !== undefined) {
    options.proxmox = { ...(guests !== undefined ? { guests } : {}), ...(version !== undefined ? { version } : {}) };
  }
  return options as LabOptions;
}

/**
 * What `rackdeck lab` starts: the parsed options, with the Proxmox cluster in its real-world
 * shape (unnamed and hibernated VMs, stale locks, a backup history) unless there is none.
 */
export function labCommandOptions(options: LabOptions): LabOptions {
  return options.proxmox === false ? options : { ...options, proxmox: { realWorld: true, ...options.proxmox } };
}

export const processIo: LabCliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  untilStopped: () => new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  }),
  setExitCode: (code) => {
    process.exitCode = code;
  },
};

export async function runLabCommand(argv: string[], io: LabCliIo = processIo): Promise<void> {
  let options: LabOptions | 'help';
  try {
    options = parseLabArgs(argv);
  } catch (error) {
    if (!(error instanceof LabUsageError)) throw error;
    io.err(`rackdeck lab: ${error.message}`);
    io.err(LAB_USAGE);
    io.setExitCode(2);
    return;
  }
  if (options === 'help') {
    io.out(LAB_USAGE);
    return;
  }
  let lab: Lab;
  try {
    lab = await startLab(labCommandOptions(options));
  } catch (error) {
    io.err(`rackdeck lab: ${error instanceof Error ? error.message : String(error)}`);
    io.setExitCode(1);
    return;
  }
  io.out(JSON.stringify(lab.describe()));
  await io.untilStopped(lab);
  await lab.stop();
}
