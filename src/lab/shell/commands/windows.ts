import { OS_PROFILES } from '../../hosts/os-profiles';
import { fail, ok, type Command, type CommandTable } from '../types';

/**
 * Windows' OpenSSH server runs cmd.exe: different tools, CRLF line ends, different errors.
 * Enough for Rackdeck to detect Windows and to put it to sleep, hibernate it or shut it down.
 */
const crlf = (text: string): string => text.replace(/\r?\n/g, '\r\n');

const shutdown: Command = (args, ctx) => {
  const flags = args.map((a) => a.toLowerCase());
  if (flags.includes('/a')) return fail(crlf('Unable to abort the system shutdown because no shutdown was in progress.(1116)\n'), 1116);
  if (flags.includes('/h')) {
    ctx.requestPower('hibernate');
    return ok();
  }
  if (flags.includes('/s') || flags.includes('/p')) {
    ctx.requestPower('poweroff');
    return ok();
  }
  if (flags.includes('/r')) {
    ctx.requestPower('reboot');
    return ok();
  }
  return fail(crlf('Usage: shutdown [/i | /l | /s | /sg | /r | /g | /a | /p | /h | /e | /o] [/hybrid] [/soft] [/fw] [/f]\n    [/m \\\\computer][/t xxx][/d [p|u:]xx:yy [/c "comment"]]\n'), 1);
};

const rundll32: Command = (args, ctx) => {
  if ((args[0] ?? '').toLowerCase() === 'powrprof.dll,setsuspendstate') {
    ctx.requestPower('suspend');
    return ok();
  }
  return ok();
};

const getmac: Command = (args, ctx) => {
  const nic = ctx.machine.spec.nics[0];
  const mac = (nic?.mac ?? '').toUpperCase().replace(/:/g, '-');
  const transport = '\\Device\\Tcpip_{4D36E972-E325-11CE-BFC1-08002BE10318}';
  const lower = args.map((a) => a.toLowerCase());
  if (lower.includes('csv')) return ok(crlf(`${lower.includes('/nh') ? '' : '"Physical Address","Transport Name"\n'}"${mac}","${transport}"\n`));
  return ok(crlf(`\nPhysical Address    Transport Name\n=================== ==========================================================\n${mac}   ${transport}\n`));
};

const ipconfig: Command = (_args, ctx) => {
  const address = ctx.machine.spec.address;
  const gateway = address.replace(/\.\d+$/, '.254');
  return ok(crlf(`\nWindows IP Configuration\n\n\nEthernet adapter Ethernet:\n\n   Connection-specific DNS Suffix  . : home.arpa\n   IPv4 Address. . . . . . . . . . . : ${address}\n   Subnet Mask . . . . . . . . . . . : 255.255.255.0\n   Default Gateway . . . . . . . . . : ${gateway}\n`));
};

export const windowsCommands: CommandTable = {
  hostname: (_args, ctx) => ok(`${ctx.machine.spec.hostname}\r\n`),
  whoami: (_args, ctx) => ok(`${ctx.machine.spec.hostname.toLowerCase()}\\${ctx.user}\r\n`),
  ver: (_args, ctx) => ok(`\r\n${OS_PROFILES[ctx.machine.spec.os].kernel.version}\r\n`),
  echo: (args) => ok(args.length === 0 ? 'ECHO is on.\r\n' : `${args.join(' ')}\r\n`),
  'echo.': () => ok('\r\n'),
  shutdown,
  'shutdown.exe': shutdown,
  rundll32,
  'rundll32.exe': rundll32,
  getmac,
  'getmac.exe': getmac,
  ipconfig,
  'ipconfig.exe': ipconfig,
};
