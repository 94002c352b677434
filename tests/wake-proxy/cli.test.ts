import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliIn } from '../cli/run';

/** `rackdeck proxy add|list|remove` (issue 17) with an engine of the command's own (no engine runs, so nothing binds). */
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-proxy-cli-'));
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  return runCliIn(home, argv);
}

describe('rackdeck proxy', () => {
  it('adds, lists and removes a listener; bad input exits 2 and changes nothing', async () => {
    expect((await cli('add', 'nas', '--address', '127.0.0.1')).code).toBe(0);
    const added = await cli('proxy', 'add', 'nas', '--listen', '127.0.0.1:4445', '--to', '445', '--timeout', '60');
    expect(added).toMatchObject({ code: 0 });
    expect(added.out).toMatch(/Added nas-445: 127\.0\.0\.1:4445 → nas:445 \(binds while Rackdeck runs\)/);
    const listed = await cli('proxy', 'list');
    expect(listed.out).toMatch(/nas-445\s+127\.0\.0\.1:4445\s+nas:445\s+60 s\s+0\s+0\s+0\s+binds while Rackdeck runs/);

    expect((await cli('proxy', 'add', 'nas', '--listen', '4446')).code).toBe(2);
    expect((await cli('proxy', 'add', 'nas', '--listen', 'nas.local:4446', '--to', '445')).code).toBe(2);
    expect((await cli('proxy', 'add', 'nas', '--listen', '4446', '--to', '70000')).code).toBe(2);
    expect((await cli('proxy', 'frobnicate')).code).toBe(2);
    const clash = await cli('proxy', 'add', 'nas', '--listen', '4445', '--to', '22');
    expect(clash.code).not.toBe(0);
    expect(clash.err).toMatch(/already forwards to nas:445/);
    const unknown = await cli('proxy', 'add', 'nope', '--listen', '4447', '--to', '22');
    expect(unknown.code).not.toBe(0);
    expect(unknown.err).toMatch(/Server "nope" was not found/);
    expect(JSON.parse((await cli('proxy', 'list', '--json')).out)).toHaveLength(1);

    expect((await cli('proxy', 'remove', 'nas-445')).out).toBe('Removed nas-445');
    expect((await cli('proxy', 'list')).out).toMatch(/No wake-on-demand listeners/);
  });
});
