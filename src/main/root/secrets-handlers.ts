import fs from 'node:fs';
import path from 'node:path';
import type { Handlers } from '../../shared/contract';
import type { CallContext } from '../ipc/router';
import { secretKeyProblem } from '../store/secrets';
import { sealedCount, setSealedAside } from '../store/secrets-key-guard';

/** The `secrets` channels: the state of the home's key and sealed values, and setting them aside after a lost key. */
export function secretsHandlers(home: string): Handlers<CallContext>['secrets'] {
  return {
    status: async () => {
      const problem = secretKeyProblem(home);
      return {
        sealed: sealedCount(home),
        key: fs.existsSync(path.join(home, 'secret.key')) ? 'present' : 'missing',
        ...(problem ? { problem: problem.message } : {}),
      };
    },
    reset: async () => setSealedAside(home),
  };
}
