import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const BIN = path.join(ROOT, 'bin', 'rackdeck.mjs');
export const BUILT_CLI = path.join(ROOT, 'dist', 'main', 'cli.mjs');
export const BUILT_RENDERER = path.join(ROOT, 'dist', 'renderer', 'index.html');
export const SCREENSHOTS = path.join(ROOT, 'test-results', 'screenshots');
