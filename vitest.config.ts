import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Tests that need `npm run build` first (they spawn the bundles in dist/) or drive a browser or
 * Electron: the `e2e` project. Everything else is `unit`, which runs from the sources alone and
 * quickly (`npm run test:unit`). `npm test` builds, then runs both.
 */
const E2E = [
  'tests/e2e/**/*.test.ts',
  // Chromium against a Vite-built harness page.
  'tests/consoles/browser.test.ts',
  // The bundled main and CLI in dist/main.
  'tests/electron/main-bundle.test.ts',
  'tests/electron/start-script.test.ts',
  // A real Electron, when one is installed.
  'tests/electron/launch.test.ts',
  // The hardening suite's attacks on the built `rackdeck serve`, and its Chromium test.
  'tests/hardening/ws-fuzz.test.ts',
  'tests/hardening/https.test.ts',
  'tests/hardening/token-ui.test.ts',
  // One bad input through the form (Chromium), the WebSocket and the CLI, on the built `serve`.
  'tests/validation/same-refusal.test.ts',
  'tests/validation/set-aside-ui.test.ts',
];

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    minWorkers: 1,
    reporters: ['default'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/**/*.test.ts'], exclude: [...configDefaults.exclude, ...E2E] } },
      // Each step of an end-to-end test waits on its own condition with its own bound; the
      // per-test limit only stops a hung test, so it leaves room for a machine under load.
      { extends: true, test: { name: 'e2e', include: E2E, testTimeout: 180_000, hookTimeout: 180_000 } },
    ],
  },
});
