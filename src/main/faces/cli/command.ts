import type { RackdeckClient } from '../../../shared/contract';
import type { Owned } from '../ownership';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  env: NodeJS.ProcessEnv;
  /** Standard input, whole (tests hand it in); the process's own stdin when absent. */
  stdin?: () => Promise<string>;
}

export interface CliContext {
  io: CliIo;
  /** Resolved data folder (--home, RACKDECK_HOME or the OS default). */
  home: string;
  /**
   * The typed client of the engine that owns `home`. It connects on its first call: to the
   * running engine's control socket (desktop app or `serve`) when one answers, otherwise to an
   * engine of this command's own, which holds the home's lock until the command ends.
   */
  open(): { client: RackdeckClient };
  /**
   * For the faces that are an engine (`serve`, `demo`): takes the home's lock (refusing when
   * another engine holds it) and builds the engine in this process. Its `stop` ends it all.
   * `home` is the demo's own temporary folder when it has one.
   */
  own?(face: 'serve' | 'demo', home?: string): Promise<Owned>;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** The full usage when it comes from code this command alone loads (the lab's); `usage` otherwise. */
  loadUsage?(): Promise<string>;
  /** The option that sets a request field (`mac` → `--mac`), to name it when the contract refuses it. */
  flagFor?(field: string): string | undefined;
  /** Returns the process exit code. */
  run(argv: string[], ctx: CliContext): Promise<number>;
}
