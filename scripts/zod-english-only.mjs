// An esbuild plugin for the main-process bundles: zod's `locales` namespace (every language's
// error messages, ~300 kB of the 580 kB zod chunk) is replaced by English alone. Rackdeck never
// calls z.config(z.locales.xx()); English is the default zod installs by itself. Node compiles
// every byte of a chunk it loads, so half of zod was compile time (and garbage) that every
// engine start and standalone CLI command paid for messages it never shows.
import path from 'node:path';

export const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    // Both `export * as locales from "../locales/index.js"` (zod/v4/core and zod/v4/classic).
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => {
      if (!/[\\/]zod[\\/]v4[\\/](core|classic)[\\/]/.test(args.importer)) return undefined;
      return { path: path.join(path.dirname(args.importer), '..', 'locales', 'index.js'), namespace: 'zod-english-only' };
    });
    build.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, (args) => ({
      contents: 'export { default as en } from "./en.js";\n',
      resolveDir: path.dirname(args.path),
      loader: 'js',
    }));
  },
};
