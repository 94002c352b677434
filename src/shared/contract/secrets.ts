import * as z from 'zod';
import { request } from '../ipc';

/** The home's sealed secrets and their key (issue 13): a lost or replaced `secret.key` said out loud, and the way out. */
export interface SecretsHealth {
  /** Sealed values in the home's secrets files. */
  sealed: number;
  key: 'present' | 'missing';
  /** What is wrong and how to recover, when the key does not open them. */
  problem?: string;
}

export interface SecretsReset {
  /** The files set aside (`…lost-key-<time>`), kept in case the old key turns up. */
  setAside: string[];
  /** What must be entered again: `<server or cluster>: <secret>`. */
  cleared: string[];
}

export const secretsContract = {
  status: request<SecretsHealth>()(() => z.object({}).strict()),
  /** Sets every sealed file aside so the secrets can be entered again; `confirm` must be true. */
  reset: request<SecretsReset>()(() => z.object({ confirm: z.literal(true, { error: 'confirm: true is required: the stored secrets are set aside' }) }).strict()),
};
