import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Node modules that reach the outside world (files, sockets, processes, the OS), and the libraries that wrap them. */
const IO_MODULES = ['fs', 'fs/promises', 'net', 'dgram', 'dns', 'dns/promises', 'tls', 'http', 'https', 'http2', 'child_process', 'os', 'readline', 'worker_threads']
  .flatMap((m) => [m, `node:${m}`])
  .concat(['ssh2', 'ws', 'axios', 'nodemailer', 'selfsigned', 'conf', 'electron-store', 'lowdb', 'lowdb/node', 'electron', 'mqtt', 'prom-client']);


export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'assets/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: {
      globals: { console: 'readonly', process: 'readonly', URL: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', performance: 'readonly', fetch: 'readonly', structuredClone: 'readonly', window: 'readonly', document: 'readonly', location: 'readonly', WebSocket: 'readonly', sessionStorage: 'readonly', history: 'readonly', Notification: 'readonly', navigator: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-dynamic-delete': 'off',
      '@typescript-eslint/no-invalid-void-type': 'off',
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  {
    // The house rule of main (docs/ARCHITECTURE.md): capability models and services take their
    // I/O as ports. They import no Node I/O module and no value from drivers/, store/ or a
    // capability's io/ folder (types are fine); only adapters (drivers/, store/, */io/, faces/)
    // and the composition root (root/) touch the outside world.
    // A driver's model/ folder holds its pure parts (errors, parsers, packet builders): services
    // may use those values, and they obey the same rule.
    files: ['src/main/{base,ipc,inventory,power,proxmox,monitoring,health,consoles,integrations,automation,wake-proxy,scan,checks}/**/*.ts', 'src/main/drivers/*/model/**/*.ts'],
    // integrations/ keeps one io/ folder per integration (prometheus/io, mqtt/io, remote-write/io).
    ignores: ['src/main/*/io/**', 'src/main/integrations/*/io/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: IO_MODULES.map((name) => ({ name, message: 'Model and service code does no I/O: take a port from the composition root (src/main/root).' })),
          patterns: [
            {
              // drivers/ except a driver's model/; store/, a capability's io/, faces/ and root/.
              regex: '(^|/)(drivers(/[^/]+(/(?!model(/|$)).*)?)?|(store|io|faces|root)(/.*)?)$',
              allowTypeImports: true,
              message: 'Model and service code takes drivers and stores as ports: import their types only, the composition root passes the values.',
            },
          ],
        },
      ],
    },
  },
  {
    // The renderer and preload must never reach for Node or Electron internals directly.
    files: ['src/renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['electron', 'node:*', '**/main/**', '**/preload/**'] }],
    },
  },
);
