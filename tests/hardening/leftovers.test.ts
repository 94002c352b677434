/**
 * What a start removes from the home (issue 14): staged writes a crash left, and only those. A
 * staged write of a process that still runs (the CLI beside `rackdeck serve`) is its write in
 * flight and stays.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeJsonAtomic } from '../../src/main/store/atomic-file';
import { removeStaleTemps, UNNAMED_GRACE_MS } from '../../src/main/store/leftovers';

const homes: string[] = [];
afterEach(() => {
  for (const dir of homes.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** The pid of a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('staged writes left in the home', () => {
  it('removes those of dead processes and old unnamed ones, anywhere in the home; keeps writes in flight and everything else', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-leftovers-'));
    homes.push(home);
    fs.mkdirSync(path.join(home, 'monitoring'));
    fs.mkdirSync(path.join(home, 'history'));
    const dead = deadPid();
    const now = Date.now();
    const files: Record<string, { age?: number; gone: boolean }> = {
      [`config.json.${dead}-0123abcd.tmp`]: { gone: true },
      [`secrets.json.${dead}-89abcdef.tmp`]: { gone: true },
      [`monitoring/alerts.json.${dead}-00000000.tmp`]: { gone: true },
      [`history/shard-03.json.${dead}-11111111.tmp`]: { gone: true },
      // In flight: this very process, and the parent that runs the tests.
      [`config.json.${process.pid}-22222222.tmp`]: { gone: false },
      [`secrets.json.${process.ppid}-33333333.tmp`]: { gone: false },
      // Unnamed (before the pid was in the name; conf's): by age.
      'secrets.json.0123456789ab.tmp': { gone: false },
      'config.json.0123456789ac.tmp': { age: UNNAMED_GRACE_MS + 60_000, gone: true },
      'config.json.tmp-1767225600abc123': { age: UNNAMED_GRACE_MS + 60_000, gone: true },
      'config.json.tmp-1767225600abc124': { gone: false },
      // Not staged writes.
      'config.json': { gone: false },
      'config.json.lock': { gone: false },
      'config.json.unreadable-2026-01-01T00-00-00-000Z': { gone: false },
      'notes.tmp': { gone: false },
      [`config.json.${dead}-0123abcd.tmp.txt`]: { gone: false },
    };
    for (const [name, { age }] of Object.entries(files)) {
      const full = path.join(home, name);
      fs.writeFileSync(full, '{"half":');
      if (age) fs.utimesSync(full, (now - age) / 1000, (now - age) / 1000);
    }
    const removed = removeStaleTemps(home, { now }).map((f) => path.relative(home, f)).sort();
    expect(removed).toEqual(Object.keys(files).filter((f) => files[f]?.gone).sort());
    for (const [name, { gone }] of Object.entries(files)) expect(fs.existsSync(path.join(home, name)), name).toBe(!gone);
  });

  it("never follows a link out of the home, and the writer's own staged files carry its pid", () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-leftovers-'));
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-outside-'));
    homes.push(home, outside);
    const victim = path.join(outside, `precious.json.${deadPid()}-44444444.tmp`);
    fs.writeFileSync(victim, 'not ours');
    fs.symlinkSync(outside, path.join(home, 'link'));
    expect(removeStaleTemps(home)).toEqual([]);
    expect(fs.existsSync(victim)).toBe(true);
    // A write staged by this process is named by it (caught mid-way by reading the folder from a rename).
    const seen: string[] = [];
    const rename = fs.renameSync;
    fs.renameSync = ((from: fs.PathLike, to: fs.PathLike) => {
      seen.push(path.basename(String(from)));
      rename(from, to);
    }) as typeof fs.renameSync;
    try {
      writeJsonAtomic(path.join(home, 'x.json'), {});
    } finally {
      fs.renameSync = rename;
    }
    expect(seen[0]).toMatch(new RegExp(`^x\\.json\\.${process.pid}-[0-9a-f]{8}\\.tmp$`));
  });
});
