import type { Readable, Writable } from 'node:stream';
import type { RackdeckClient } from '../../../shared/contract';
import type { HostKeyCheck } from '../../../shared/contract/host-keys';

/** Exit code of a host key that could not be verified, as ssh's. */
export const HOST_KEY_FAILED = 255;

/** The streams the question is asked on; ssh asks only when it can read an answer from a terminal. */
export interface PromptIo {
  stdin: Readable & { isTTY?: boolean };
  stderr: Writable;
}

export interface HostKeyPolicy {
  /** OpenSSH's StrictHostKeyChecking=accept-new: a first key is pinned without asking; a changed one is still refused. */
  acceptNew: boolean;
  /** The command, for the lines it prints (`rackdeck exec`). */
  command: string;
}

/** What ssh prints when it adds a key: "Warning: Permanently added '<host>' (ED25519) to the list of known hosts." */
export function permanentlyAdded(host: string, typeLabel: string): string {
  return `Warning: Permanently added '${host}' (${typeLabel}) to the list of known hosts.`;
}

/** OpenSSH's warning for a changed key, with both fingerprints and the way to accept the new one. */
export function changedKeyLines(check: Pick<HostKeyCheck, 'host' | 'offered' | 'pinned'>, server: string): string[] {
  const at = '@'.repeat(59);
  return [
    at,
    '@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @',
    at,
    'IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!',
    'Someone could be eavesdropping on you right now (man-in-the-middle attack)!',
    'It is also possible that a host key has just been changed.',
    `The ${check.pinned?.typeLabel ?? check.offered.typeLabel} key pinned for '${check.host}' is ${check.pinned?.fingerprint ?? '(none)'}.`,
    `The fingerprint for the ${check.offered.typeLabel} key sent by the remote host is`,
    `${check.offered.fingerprint}.`,
    `If the server was reinstalled and this is its new key, accept it: rackdeck trust ${server} --fingerprint ${check.offered.fingerprint}`,
    `Host key for '${check.host}' has changed and you have requested strict checking.`,
    'Host key verification failed.',
  ];
}

/**
 * Makes sure the server's host key is pinned before a session opens, as ssh does: the pinned
 * key goes ahead; a changed one is refused with both fingerprints; an unknown one is asked
 * about on a terminal, pinned with --accept-new, and refused in a script. Returns undefined
 * to go on, or the exit code to stop with (nothing pinned).
 */
export async function ensureHostKey(client: RackdeckClient, server: string, io: PromptIo, policy: HostKeyPolicy): Promise<number | undefined> {
  const say = (line: string) => io.stderr.write(`${line}\n`);
  let check: HostKeyCheck;
  try {
    check = await client.hostKeys.check({ id: server });
  } catch (error) {
    say(`${policy.command}: ${(error as Error).message}`);
    return (error as { code?: string }).code === 'not_found' ? 4 : HOST_KEY_FAILED;
  }
  if (check.status === 'pinned') return undefined;
  if (check.status === 'changed') {
    for (const line of changedKeyLines(check, server)) say(line);
    return HOST_KEY_FAILED;
  }
  const { offered, host } = check;
  let accept = policy.acceptNew;
  if (!accept && io.stdin.isTTY === true) {
    accept = await ask(io, [
      `The authenticity of host '${host} (${host})' can't be established.`,
      `${offered.typeLabel} key fingerprint is ${offered.fingerprint}.`,
      'This key is not known by any other names.',
    ], offered.fingerprint);
    if (!accept) {
      say('Host key verification failed.');
      return HOST_KEY_FAILED;
    }
  }
  if (!accept) {
    say(`No ${offered.typeLabel} host key is known for ${host} and you have requested strict checking.`);
    say('Host key verification failed.');
    say(`${policy.command}: the server offers ${offered.fingerprint}; compare it with the server's own key, then pin it with \`rackdeck trust ${server} --fingerprint ${offered.fingerprint}\`, or run again with --accept-new (or \`rackdeck init ${server}\`).`);
    return HOST_KEY_FAILED;
  }
  try {
    // Exactly the key shown (and only on first use): one offered in between is refused, not pinned.
    await client.hostKeys.trust({ id: server, fingerprint: offered.fingerprint, firstUse: true });
  } catch (error) {
    say(`${policy.command}: ${(error as Error).message}`);
    say('Host key verification failed.');
    return HOST_KEY_FAILED;
  }
  say(permanentlyAdded(host, offered.typeLabel));
  return undefined;
}

/** Asks ssh's question until the answer is yes, no, or the fingerprint itself. */
async function ask(io: PromptIo, lines: string[], fingerprint: string): Promise<boolean> {
  io.stderr.write(`${lines.join('\n')}\nAre you sure you want to continue connecting (yes/no/[fingerprint])? `);
  for (;;) {
    const answer = (await readLine(io.stdin))?.trim();
    if (answer === undefined) return false;
    if (answer === 'yes' || answer === fingerprint) return true;
    if (answer === 'no') return false;
    io.stderr.write("Please type 'yes', 'no' or the fingerprint: ");
  }
}

/** One line from the stream; what came after it is put back for the session. */
function readLine(stream: Readable): Promise<string | undefined> {
  return new Promise((resolve) => {
    let buffered = '';
    const onData = (chunk: Buffer | string) => {
      buffered += chunk.toString();
      const nl = buffered.indexOf('\n');
      if (nl < 0) return;
      done();
      const rest = buffered.slice(nl + 1);
      if (rest) stream.unshift(Buffer.from(rest));
      resolve(buffered.slice(0, nl).replace(/\r$/, ''));
    };
    const onEnd = () => {
      done();
      resolve(buffered || undefined);
    };
    const done = () => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.pause();
    };
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.resume();
  });
}
