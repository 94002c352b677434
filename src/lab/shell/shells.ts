import type { HostSpec } from '../hosts/spec';
import { coreutilsCommands } from './commands/coreutils';
import { diskCommands } from './commands/disk';
import { healthCommands, healthFiles } from './commands/health';
import { networkCommands, networkFiles } from './commands/network';
import { powerCommands, powerFiles } from './commands/power';
import { procFiles } from './commands/proc';
import { proxmoxCommands, proxmoxFiles } from './commands/proxmox';
import { systemCommands, systemFiles } from './commands/system';
import { windowsCommands } from './commands/windows';
import type { Shell, ShellDialect } from './interpreter';
import { createFs } from './vfs';

/** The shell each kind of machine offers; built once per kind since commands read state via context. */
const bash: ShellDialect = {
  posix: true,
  errorPrefix: (interactive) => (interactive ? '-bash' : 'bash'),
  notFound: (name, interactive) => ({ stdout: '', stderr: `${interactive ? '-bash' : 'bash'}: ${name}: command not found\n`, code: 127 }),
};

const cmd: ShellDialect = {
  posix: false,
  errorPrefix: () => 'cmd',
  notFound: (name) => ({
    stdout: '',
    stderr: `'${name}' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n`,
    code: 1,
  }),
};

const linuxCommands = { ...coreutilsCommands, ...systemCommands, ...networkCommands, ...diskCommands, ...powerCommands, ...healthCommands };
const linuxFiles = [procFiles, networkFiles, systemFiles, powerFiles, healthFiles];

const LINUX: Shell = { commands: linuxCommands, fs: createFs(linuxFiles), dialect: bash };
const PROXMOX: Shell = { commands: { ...linuxCommands, ...proxmoxCommands }, fs: createFs([...linuxFiles, proxmoxFiles]), dialect: bash };
const WINDOWS: Shell = { commands: windowsCommands, fs: createFs([]), dialect: cmd };

export function shellFor(spec: Pick<HostSpec, 'os'>): Shell {
  if (spec.os === 'windows') return WINDOWS;
  return spec.os === 'proxmox' ? PROXMOX : LINUX;
}
