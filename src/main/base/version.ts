/** Replaced at build time by scripts/build.mjs from package.json; the fallback is for tests run from source. */
declare const __RACKDECK_VERSION__: string | undefined;
export const VERSION: string = typeof __RACKDECK_VERSION__ === 'string' ? __RACKDECK_VERSION__ : '0.0.0-dev';

/**
 * A fingerprint of the sources a build was made from (scripts/build.mjs hashes src/): two builds
 * share it only when they share every schema. Undefined when run from source, where a schema may
 * change between two runs without anything saying so.
 */
declare const __RACKDECK_SOURCE_ID__: string | undefined;
export const SOURCE_ID: string | undefined = typeof __RACKDECK_SOURCE_ID__ === 'string' ? __RACKDECK_SOURCE_ID__ : undefined;
