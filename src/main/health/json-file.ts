/**
 * One JSON document on disk, as the health stores see it: they decide what it holds, when to
 * re-read it and what to do with a broken one; the adapter (io/atomic-json.ts) does the file work.
 */
export type JsonRead = { kind: 'missing' } | { kind: 'ok'; value: unknown } | { kind: 'unreadable'; reason: string };

export interface JsonFile {
  /** Where it lives, for messages. */
  readonly path: string;
  read(): JsonRead;
  /** Replaces the whole file atomically (mode 0600). */
  write(value: unknown): void;
  /** Moves an unreadable file aside and returns where it went, so what the admin had is never lost. */
  setAside(now: number): string;
  /** A cheap fingerprint of the file, to notice another process (the CLI) wrote it; undefined when absent. */
  stamp(): string | undefined;
}
