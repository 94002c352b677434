export type SshAuth =
  | { kind: 'key'; keyPath: string; passphrase?: string }
  | { kind: 'agent'; socket?: string }
  | { kind: 'password'; password: string };

/** Everything needed to reach one host; built in main from the server config and the secrets store. */
export interface SshTarget {
  host: string;
  port: number;
  user: string;
  auth: SshAuth;
}

export interface ExecResult {
  /** Exit status; `null` when the connection ended before the command reported one (a host going to sleep does that). */
  code: number | null;
  signal?: string;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  timeoutMs?: number;
  /** Fed to the command's standard input, which is then closed. */
  stdin?: string | Buffer;
}

/** What the power code needs of SSH; the pool implements it and tests can fake it. */
export interface SshExec {
  exec(target: SshTarget, command: string, options?: ExecOptions): Promise<ExecResult>;
}
