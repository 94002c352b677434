import { runCli } from './main';

// Entry of the `rackdeck` bin (bundled to dist/main/cli.mjs).
const code = await runCli(process.argv.slice(2), {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
  env: process.env,
});
process.exitCode = code;
