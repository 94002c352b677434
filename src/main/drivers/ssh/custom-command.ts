import type ChildProcess from 'node:child_process';
import type { LocalRunner } from './model/custom-command';
import { nodeModule } from '../../base/node-module';

const childProcess = nodeModule<typeof ChildProcess>('node:child_process');

/** Runs a custom command's argv on this machine with a deadline, never through a shell. */
export const runLocal: LocalRunner = (argv, timeoutMs) => {
  const [file, ...args] = argv as [string, ...string[]];
  return new Promise((resolve, reject) => {
    childProcess().execFile(file, args, { timeout: timeoutMs, maxBuffer: 1 << 20, shell: false, windowsHide: true }, (error, stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(new Error(`${file}: command not found on this machine`));
        return;
      }
      if (error && error.killed) {
        reject(new Error(`${file} did not finish within ${timeoutMs} ms`));
        return;
      }
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
};
