import type { CliIo } from './command';
import { builtHelp } from './help-file';

// Entry of the `rackdeck` bin (bundled to dist/main/cli.mjs). The top-level help is answered
// from the file the build wrote, before anything else is loaded; every other command starts in
// main, which loads only that command's module.
const argv = process.argv.slice(2);
const io: CliIo = {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
  env: process.env,
};
const first = argv[0];
const help = first === undefined || first === '--help' || first === '-h' || first === 'help' ? builtHelp() : undefined;
if (help !== undefined) {
  io.out(help);
  process.exitCode = first === undefined ? 2 : 0;
} else {
  const { runCli } = await import('./main');
  process.exitCode = await runCli(argv, io);
}
