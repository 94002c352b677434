/**
 * The contract fuzz (issue 14), extending the router's malformed-request test to every channel
 * at volume: requests the schemas refuse, prototype names as keys and values among them, must
 * each get a clear refusal and change nothing on disk; and well-formed requests naming servers,
 * keys and rules called `constructor`, `__proto__`, `toString`, `hasOwnProperty`… must each be
 * answered (or refused) without a programming error. Nothing may leave loopback meanwhile.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { contract } from '../../src/shared/contract';
import { channelsOf, type WireResult } from '../../src/shared/ipc';
import { FakeClock } from '../../src/main/base/clock';
import type { Logger } from '../../src/main/base/logger';
import { SshError } from '../../src/main/drivers/ssh/model';
import { createApp, type RackdeckApp } from '../../src/main/root/app';
import { guardLoopback, type LoopbackGuard } from './loopback-guard';
import { mutate, PROTOTYPE_NAMES, Rng, sample, type Pool } from './schema-gen';

const REFUSED_PER_CHANNEL = 130;
const WELL_FORMED_PER_CHANNEL = 40;
const SECRET = 'fuzz-secret-Zq9!never-in-an-answer';
const SEED = Number(process.env.RACKDECK_FUZZ_SEED ?? 14);

interface LoggedError {
  /** What the router (or a loop) said: "agents.health failed". */
  message: string;
  error: unknown;
}

let app: RackdeckApp;
let home: string;
let guard: LoopbackGuard;
const logged: LoggedError[] = [];
const uncaught: unknown[] = [];
const onUncaught = (error: unknown) => void uncaught.push(error);

const log: Logger = {
  info: () => undefined,
  warn: () => undefined,
  error: (message, ...details) => void logged.push({ message, error: details[0] }),
};

beforeAll(async () => {
  guard = guardLoopback();
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUncaught);
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-fuzz-'));
  app = createApp({
    home,
    face: 'cli',
    clock: new FakeClock(),
    log,
    probe: async (_address, ports) => ({ openPorts: Object.fromEntries(ports.map((p) => [String(p), false])), error: 'connection refused' }),
    power: {
      ssh: {
        exec: async (target) => {
          throw new SshError('connect', `fuzz: no SSH to ${target.host}`);
        },
        acceptHostKey: () => undefined,
        close: () => undefined,
      },
      wol: async ({ targets }) => targets.map((target) => ({ target, ok: true })),
      runLocal: async () => ({ code: 0, stdout: '', stderr: '' }),
    },
  });
  // Entities named like Object.prototype's properties, and one normal server with a secret.
  expect(await ensureEntities()).toEqual(expect.arrayContaining(['constructor', 'tostring', 'hasownproperty', 'valueof', 'prototype', 'plain']));
  expect((await app.router.handle('power.setSecret', { id: 'plain', name: 'ssh.password', value: SECRET }, { face: 'cli' })).ok).toBe(true);
});

afterAll(async () => {
  await app.stop();
  guard.restore();
  process.off('uncaughtException', onUncaught);
  process.off('unhandledRejection', onUncaught);
  fs.rmSync(home, { recursive: true, force: true });
});

/**
 * Servers named like Object.prototype's properties (and one plain one), added again when a
 * request removed them, so every channel meets them. `__proto__` is not a valid server name: the
 * schema refuses it (the fuzz tries that too).
 */
async function ensureEntities(): Promise<string[]> {
  const ids: string[] = [];
  for (const name of [...PROTOTYPE_NAMES, 'plain']) {
    const known = app.engine.find(name);
    if (known) {
      ids.push(known.id);
      continue;
    }
    const result = await app.router.handle('servers.add', { name, address: '127.0.0.1', ports: [9], mac: 'aa:bb:cc:dd:ee:01' }, { face: 'cli' });
    if (result.ok) ids.push((result.value as { id: string }).id);
  }
  return ids;
}

const schemaOf = (channel: string): z.ZodType => {
  const [group, method] = channel.split('.') as [string, string];
  return (contract as unknown as Record<string, Record<string, { input: z.ZodType }>>)[group]![method]!.input;
};

/** What the requests are made of: every entity's id and name, the prototype names, loopback addresses, junk. */
function pool(): Pool {
  const ids = app.engine.servers().flatMap((s) => [s.id, s.name]);
  return {
    strings: [
      ...PROTOTYPE_NAMES,
      ...ids,
      '127.0.0.1',
      '127.0.91.7',
      'aa:bb:cc:dd:ee:ff',
      'eno1',
      'http://127.0.0.1:9/hook',
      'https://127.0.0.1:9',
      'root',
      'x',
      '',
      ' ',
      '../../etc/passwd',
      '<script>',
      '\u0000',
      'é'.repeat(40),
    ],
  };
}

const isProgrammingError = (e: unknown) => e instanceof TypeError || e instanceof RangeError || e instanceof ReferenceError || e instanceof SyntaxError;

/**
 * A programming error, as opposed to a refusal: the router logs the error a handler threw and
 * answers `failed` with its message. (A `failed` that is a refusal from outside, such as an
 * unreachable cluster, is an answer.)
 */
function isCrash(channel: string, result: WireResult): boolean {
  if (result.ok || result.error.code !== 'failed') return false;
  const { message } = result.error;
  if (/is not a function|Cannot read propert|Cannot set propert|is not iterable|Maximum call stack/.test(message)) return true;
  return logged.some((l) => l.message === `${channel} failed` && isProgrammingError(l.error) && (l.error as Error).message === message);
}

async function call(channel: string, input: unknown): Promise<{ result: WireResult; crash: boolean }> {
  const result = await app.router.handle(channel, input, { face: 'web', signal: AbortSignal.timeout(10_000) });
  // Every answer must cross the wire as JSON, and none may carry a secret.
  const text = JSON.stringify(result);
  expect(text.includes(SECRET), `${channel} answered the secret`).toBe(false);
  return { result, crash: isCrash(channel, result) };
}

async function inBatches(jobs: (() => Promise<void>)[], width: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < jobs.length) await (jobs[next++] as () => Promise<void>)();
    }),
  );
}

const channels = channelsOf(contract);

describe(`contract fuzz over all ${channels.length} channels (seed ${SEED})`, () => {
  it(`${channels.length * REFUSED_PER_CHANNEL} malformed requests, prototype names among them: 0 crashes, 0 accepted, 0 changes to config.json`, async () => {
    const rng = new Rng(SEED);
    const p = pool();
    const config = fs.readFileSync(path.join(home, 'config.json'));
    const crashes: string[] = [];
    let sent = 0;
    let accepted = 0;
    const jobs: (() => Promise<void>)[] = [];
    for (const channel of channels) {
      const schema = schemaOf(channel);
      for (let i = 0; i < REFUSED_PER_CHANNEL; i++) {
        // Mutated until the channel's schema refuses it (a mutation may leave it valid).
        let input: unknown = mutate(sample(schema, rng, p), rng, p);
        for (let tries = 0; schema.safeParse(input).success && tries < 20; tries++) input = mutate(input, rng, p);
        if (schema.safeParse(input).success) input = { [rng.pick(PROTOTYPE_NAMES)]: 'unknown field' };
        jobs.push(async () => {
          sent++;
          const { result, crash } = await call(channel, input);
          if (crash) crashes.push(`${channel} ${JSON.stringify(input).slice(0, 200)} → ${JSON.stringify(result).slice(0, 300)}`);
          if (result.ok) accepted++;
          else expect(result.error.code, `${channel}: ${result.error.message}`).toBe('bad_request');
        });
      }
    }
    await inBatches(jobs, 8);
    console.log(`contract fuzz: ${sent} malformed requests over ${channels.length} channels → ${crashes.length} crashes, ${accepted} accepted, ${uncaught.length} uncaught, ${guard.refused.length} attempts beyond loopback`);
    expect(sent).toBeGreaterThanOrEqual(10_000);
    expect(crashes).toEqual([]);
    expect(accepted).toBe(0);
    expect(uncaught).toEqual([]);
    expect(fs.readFileSync(path.join(home, 'config.json')).equals(config)).toBe(true);
  });

  it(`${channels.length * WELL_FORMED_PER_CHANNEL} well-formed requests naming entities called ${PROTOTYPE_NAMES.slice(0, 4).join(', ')}…: 0 crashes, every answer JSON, no secret`, async () => {
    const rng = new Rng(SEED + 1);
    const crashes: string[] = [];
    const codes = new Map<string, number>();
    let sent = 0;
    for (const channel of channels) {
      await ensureEntities();
      const schema = schemaOf(channel);
      const jobs: (() => Promise<void>)[] = [];
      for (let i = 0; i < WELL_FORMED_PER_CHANNEL; i++) {
        jobs.push(async () => {
          const input = sample(schema, rng, pool());
          sent++;
          const { result, crash } = await call(channel, input);
          const code = result.ok ? 'ok' : result.error.code;
          codes.set(code, (codes.get(code) ?? 0) + 1);
          if (process.env.FUZZ_DEBUG && !result.ok && result.error.code === 'failed') console.log('FAILED', channel, JSON.stringify(input).slice(0, 150), result.error.message.slice(0, 200));
          if (crash) crashes.push(`${channel} ${JSON.stringify(input).slice(0, 200)} → ${JSON.stringify(result).slice(0, 300)}`);
        });
      }
      await inBatches(jobs, 8);
    }
    console.log(`contract fuzz: ${sent} well-formed requests → ${[...codes].map(([c, n]) => `${c} ${n}`).join(', ')}; ${crashes.length} crashes, ${uncaught.length} uncaught, ${guard.refused.length} names refused by the loopback guard`);
    expect(crashes).toEqual([]);
    expect(uncaught).toEqual([]);
    expect(logged.filter((l) => isProgrammingError(l.error)).map((l) => `${l.message}: ${String(l.error)}`)).toEqual([]);
    // The prototype-named servers are all still there, and config.json still parses.
    const doc = JSON.parse(fs.readFileSync(path.join(home, 'config.json'), 'utf8')) as { servers: unknown[] };
    expect(Array.isArray(doc.servers)).toBe(true);
  });
});
