import type * as Encode from './encode';

/**
 * The remote-write encoder, loaded on first use: protobufjs is a quarter of a megabyte the engine
 * would otherwise compile and run at every start, before `serve` prints its URL (issue 16), and
 * most homes never write to a remote store. Loaded once; every later call has it at once.
 */
let loading: Promise<typeof Encode> | undefined;

export function loadEncoder(): Promise<typeof Encode> {
  return (loading ??= import('./encode'));
}
