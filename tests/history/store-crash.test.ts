import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isGap } from '../../src/shared/metrics';
import { HistoryStore } from '../../src/main/store/history/store';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-history-crash-'));
  dirs.push(d);
  return d;
};

/** Runs the child until SIGKILL (sent by us after `killAfterMs`, or by itself); returns the last sample time it had made durable. */
function runChild(dir: string, mode: 'random' | 'mid-write' | 'before-rename', killAfterMs = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'crash-child.ts'), dir, mode], {
      cwd: path.resolve(__dirname, '../..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (mode === 'random' && out.includes('compacted')) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.on('exit', (code, signal) => {
      const m = /compacted (\d+)/.exec(out);
      if (signal === 'SIGKILL' && m) resolve(Number(m[1]));
      else reject(new Error(`child exited with ${code ?? signal}: ${err}`));
    });
  });
}

async function expectIntact(dir: string, durableAt: number): Promise<void> {
  const store = await HistoryStore.open({ dir, shardCount: 4, durable: false });
  try {
    expect(store.recoveries).toEqual([]);
    expect(store.serverIds()).toHaveLength(40);
    for (const id of store.serverIds()) expect(store.lastSampleAt(id)).toBeGreaterThanOrEqual(durableAt);
    expect(fs.readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(store.query('srv-7', 'year').points.some((p) => !isGap(p))).toBe(true);
  } finally {
    await store.close();
  }
}

describe('a crash in the middle of a flush', () => {
  it('killed halfway through writing a shard: the staged file is cut, the shard is intact', async () => {
    const dir = tempDir();
    const durableAt = await runChild(dir, 'mid-write');
    // Shards are written while the next ones are encoded: up to one staged file a shard is left.
    const staged = fs.readdirSync(dir).filter((n) => n.endsWith('.tmp'));
    expect(staged.length).toBeGreaterThanOrEqual(1);
    expect(staged.length).toBeLessThanOrEqual(4);
    const cut = staged.filter((name) => {
      try {
        JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
        return false;
      } catch {
        return true;
      }
    });
    expect(cut.length).toBeGreaterThanOrEqual(1); // the crash really left half a document
    await expectIntact(dir, durableAt);
  });

  it('killed between writing and renaming: the complete staged file is ignored, the shard is intact', async () => {
    const dir = tempDir();
    const durableAt = await runChild(dir, 'before-rename');
    const staged = fs.readdirSync(dir).filter((n) => n.endsWith('.tmp'));
    expect(staged.length).toBeGreaterThanOrEqual(1);
    expect(staged.length).toBeLessThanOrEqual(4);
    await expectIntact(dir, durableAt);
  });

  it('killed at arbitrary moments, again and again on the same files: always readable', async () => {
    const dir = tempDir();
    for (const ms of [0, 5, 17]) await expectIntact(dir, await runChild(dir, 'random', ms));
  });
});
