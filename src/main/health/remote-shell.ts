import type { ExecResult, RemoteShell } from './hooks';

/** Exec alone, as the SSH pool offers it (a null code: the connection ended first). */
export type ExecOnly = (command: string, options?: { timeoutMs?: number }) => Promise<{ code: number | null; stdout: string; stderr: string }>;

const SAFE_PATH = /^\/[A-Za-z0-9._/-]+$/;

/**
 * A RemoteShell for an SSH link that can only exec: a file is written by a command that decodes
 * it from base64 (an alphabet with nothing a shell interprets), under umask 077 so it is never
 * readable by others, then set to its mode. The content is briefly visible in the remote
 * process list while that command runs; an SFTP upload, where the SSH capability offers one,
 * avoids even that and should be preferred for the config that holds the key.
 */
export function remoteShellOverExec(exec: ExecOnly, close?: () => void | Promise<void>): RemoteShell {
  const run = async (command: string, options?: { timeoutMs?: number }): Promise<ExecResult> => {
    const r = await exec(command, options);
    return { code: r.code ?? -1, stdout: r.stdout, stderr: r.stderr };
  };
  return {
    exec: run,
    async upload(content, remotePath, mode) {
      if (!SAFE_PATH.test(remotePath) || remotePath.includes('..')) throw new Error(`refusing to write to "${remotePath}"`);
      const b64 = Buffer.from(content).toString('base64');
      const octal = (mode & 0o7777).toString(8);
      const r = await run(`umask 077 && printf '%s' '${b64}' | base64 -d > '${remotePath}' && chmod ${octal} '${remotePath}'`, { timeoutMs: 30_000 });
      if (r.code !== 0) throw new Error(`could not write ${remotePath}: ${r.stderr.trim() || `exit code ${r.code}`}`);
    },
    ...(close ? { close } : {}),
  };
}
