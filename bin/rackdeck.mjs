#!/usr/bin/env node
// The `rackdeck` command: runs the bundled CLI, or says how to build it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/main/cli.mjs', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write('rackdeck: not built yet. Run `npm run build` in the Rackdeck folder first.\n');
  process.exit(1);
}
await import(cli);
