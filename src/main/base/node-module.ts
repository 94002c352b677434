import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

/**
 * One of Node's own modules, loaded the first time it is used rather than with the file that
 * needs it. The engine's bundle holds every capability's drivers, and an ES import is loaded
 * with the bundle: https (with tls and http), child_process, dgram and dns cost 15–30 ms of
 * every start that uses none of them, a standalone `rackdeck list` among them (issue 16).
 * Only for modules whose loading has no effect of its own; their types are imported as types.
 */
export function nodeModule<T>(name: `node:${string}`): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= load(name) as T);
}
