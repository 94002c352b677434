import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/** This machine's own files and df: the parsers must read a live kernel, not only our fixtures. */
export const readProc = (name: string): string => fs.readFileSync(`/proc/${name}`, 'utf8');
export const runDf = (): string => execFileSync('df', ['-B1'], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
