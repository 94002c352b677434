import type { RackdeckClient } from '../../../shared/contract';
import type { RackdeckApp } from '../../root/app';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  env: NodeJS.ProcessEnv;
}

export interface CliContext {
  io: CliIo;
  /** Resolved data folder (--home, RACKDECK_HOME or the OS default). */
  home: string;
  /** Opens the engine on `home` (no loops running) with a typed client over it. */
  open(): { app: RackdeckApp; client: RackdeckClient };
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Returns the process exit code. */
  run(argv: string[], ctx: CliContext): Promise<number>;
}
