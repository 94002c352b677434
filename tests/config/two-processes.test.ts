import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readConfig, runningEngine, UNTIL } from './helpers';

/**
 * Issue 12, compare-and-swap: writers in different processes (an engine, CLI runs without an
 * engine) never lose each other's writes, whatever the interleaving, because each write is a
 * change applied to the file as it is on disk, under config.json.lock.
 */

const root = path.resolve(import.meta.dirname, '../..');
const writer = path.join(import.meta.dirname, 'fixtures/writer.ts');

interface Child {
  ready: Promise<void>;
  done: Promise<{ code: number | null; folded: number; output: string }>;
}

function startWriter(home: string, prefix: string, count: number, goFile: string): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', writer, home, prefix, String(count), goFile], { cwd: root });
  let output = '';
  let onReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  child.stdout.on('data', (d: Buffer) => {
    output += d.toString();
    if (output.includes('ready\n')) onReady();
  });
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const done = new Promise<{ code: number | null; folded: number; output: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, folded: Number(/folded (\d+)/.exec(output)?.[1] ?? -1), output })),
  );
  return { ready, done };
}

let env: ReturnType<typeof runningEngine> | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

describe('two processes writing one config.json', () => {
  it('lose nothing: 2 × 100 adds from other processes and 50 from the running engine make 250 servers, in the file and in the engine', async () => {
    env = runningEngine();
    const e = env;
    const goFile = path.join(e.home, 'go');
    const a = startWriter(e.home, 'a', 100, goFile);
    const b = startWriter(e.home, 'b', 100, goFile);
    await Promise.all([a.ready, b.ready]);
    fs.writeFileSync(goFile, '');
    for (let i = 0; i < 50; i++) await e.client.servers.add({ name: `engine-${i}`, address: '127.0.0.1' });
    const [ra, rb] = await Promise.all([a.done, b.done]);
    expect(ra.code, ra.output).toBe(0);
    expect(rb.code, rb.output).toBe(0);
    // Both opened the file before either wrote, so whichever wrote second had to take the other's writes in.
    expect(ra.folded + rb.folded).toBeGreaterThan(0);

    const names = readConfig(e.home).servers.map((s) => s.name);
    expect(names).toHaveLength(250);
    expect(new Set(names).size).toBe(250);
    for (const p of ['a', 'b']) for (let i = 0; i < 100; i++) expect(names).toContain(`${p}-${i}`);
    // The running engine took every other process's servers in, and told its faces.
    await vi.waitFor(() => expect(e.app.engine.snapshot().servers).toHaveLength(250), UNTIL);
    await vi.waitFor(() => expect(new Set(e.patches.flatMap((p) => p.upsert.map((s) => s.name)))).toContain('b-99'), UNTIL);
    expect(fs.existsSync(path.join(e.home, 'config.json.lock'))).toBe(false);
  });
});
