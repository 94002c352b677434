/** Replaced at build time by scripts/build.mjs from package.json; the fallback is for tests run from source. */
declare const __RACKDECK_VERSION__: string | undefined;
export const VERSION: string = typeof __RACKDECK_VERSION__ === 'string' ? __RACKDECK_VERSION__ : '0.0.0-dev';
