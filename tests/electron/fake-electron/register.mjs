// `node --import ./register.mjs dist/main/electron.mjs`: runs the bundled desktop main under
// plain Node with 'electron' resolved to the fake beside this file (see main-bundle.test.ts).
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
