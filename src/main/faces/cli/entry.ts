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
  const { runCliWith } = await import('./main');
  const ended = { engine: false };
  const code = await runCliWith(argv, io, ended);
  if (ended.engine) {
    // The command ran an engine of its own and stopped it (its loops, files and lock are done
    // with). What Node would still do before exiting is V8 finishing a garbage collection that
    // loading the engine started, on a heap about to be thrown away: 20–35 ms of a standalone
    // `rackdeck list`, profiled under load. The process ends once its output is written.
    process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
  } else {
    process.exitCode = code;
  }
}
