import type { ConsoleKind, LiveStats, ParsedExecSpec } from '../../shared/contract/consoles';
import type { ServerConfig } from '../../shared/server';
import type { ConsoleSource } from './source';

/** Reads one live stats sample each time it is asked; rates come from the previous reading. */
export interface StatsReader {
  read(): Promise<LiveStats>;
  close(): void;
}

export interface TerminalSize {
  cols: number;
  rows: number;
}

/**
 * Where sessions come from: the engine's servers and the drivers behind them. The session
 * manager asks only this, so tests can hand it fakes and the drivers never see a window.
 */
export interface ConsoleBackend {
  /** By id or name; throws a not-found error. */
  server(ref: string): ServerConfig;
  openConsole(server: ServerConfig, kind: ConsoleKind, size: TerminalSize): Promise<ConsoleSource>;
  openExec(server: ServerConfig, spec: ParsedExecSpec): Promise<ConsoleSource>;
  statsReader(server: ServerConfig): StatsReader;
}
