import { z } from 'zod';
import { request } from '../ipc';

export interface AppInfo {
  version: string;
  face: 'desktop' | 'web' | 'cli';
  home: string;
  startedAt: number;
}

export const appContract = {
  info: request<AppInfo>()(z.object({}).strict()),
};
