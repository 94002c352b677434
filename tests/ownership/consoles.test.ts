/**
 * Issue 12: "`exec`/`ssh` use the engine's consoles". With `serve` running, the built CLI's
 * `rackdeck exec` opens its session in the engine over the control socket: the output comes back
 * as events addressed to that connection, both streams apart, and the remote exit code is the
 * CLI's. Against a real OpenSSH sshd on loopback.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SshPool, sshTargetFor } from '../../src/main/drivers/ssh';
import { KnownHostsStore } from '../../src/main/store/known-hosts';
import { startSshd, sshdAvailable, type SshdFixture } from '../ssh/sshd-fixture';
import { builtCliExists, newHome, rackdeck, startServe, undoList } from './kit';

const undo = undoList();
let sshd: SshdFixture;
beforeAll(async () => {
  if (sshdAvailable) sshd = await startSshd();
});
afterAll(async () => {
  await undo.run();
  await sshd?.stop();
});

describe.skipIf(!sshdAvailable || !builtCliExists())('the CLI uses the running engine’s consoles', () => {
  it('rackdeck exec through serve streams both outputs and exits with the remote code', async () => {
    const home = newHome(undo);
    // "Connect once": the host key is pinned on first use, in the home's known hosts.
    const pool = new SshPool({ knownHosts: new KnownHostsStore(home) });
    await pool.exec(sshTargetFor({ id: 'box', name: 'box', address: '127.0.0.1', ssh: { user: sshd.user, port: sshd.port, auth: 'key', keyPath: sshd.key.path } } as Parameters<typeof sshTargetFor>[0], { get: () => undefined }), 'true');
    pool.close();
    const served = await startServe(home, undo);

    const add = await rackdeck(home, 'add', 'box', '--address', '127.0.0.1', '--port', String(sshd.port), '--ssh-user', sshd.user, '--ssh-port', String(sshd.port), '--ssh-key', sshd.key.path);
    expect(add.code, add.err).toBe(0);
    const exec = await rackdeck(home, 'exec', 'box', '--', 'echo', 'out-$((1+1));', 'echo', 'oops', '>&2;', 'exit', '3');
    expect(exec).toEqual({ code: 3, out: 'out-2\n', err: 'oops\n' });
    // It ran in the engine: serve is still the owner, nobody took the home for the command.
    expect(served.child.exitCode).toBeNull();
    // And `metrics` read through the engine says nothing about figures not being gathered.
    expect((await rackdeck(home, 'metrics', 'box', '--range', 'hour')).err).toBe('');
  });
});
