import * as z from 'zod';
import { request } from '../ipc';

export interface AppInfo {
  version: string;
  face: 'desktop' | 'web' | 'cli';
  home: string;
  startedAt: number;
  /**
   * Whether this engine runs its loops (the desktop app, `serve`, `demo`): figures, alerts and
   * the action log grow only then. A CLI command that runs its own engine for one command does not.
   */
  running: boolean;
}

export const appContract = {
  info: request<AppInfo>()(() => z.object({}).strict()),
};
