import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  fileStamp,
  loadJson,
  loadJsonAsync,
  readJsonFile,
  setAside,
  stagedWriteTarget,
  writeFileAtomic,
  writeJsonAtomic,
  writeJsonAtomicAsync,
} from '../../src/main/store/atomic-file';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-atomic-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const NOW = Date.UTC(2026, 10, 25, 8, 30);
const STAMP = '2026-11-25T08-30-00-000Z';
const docSchema = z.object({ version: z.literal(1), names: z.array(z.string()) });
const staged = () => fs.readdirSync(dir).filter((n) => n.endsWith('.tmp'));

describe('setAside', () => {
  it('renames the file to <file>.unreadable-<time>, keeping its bytes, and says where', () => {
    const file = path.join(dir, 'health.json');
    fs.writeFileSync(file, '{ half a docu');
    const kept = setAside(file, 'not JSON', NOW);
    expect(kept).toEqual({ file, backupPath: `${file}.unreadable-${STAMP}`, reason: 'not JSON' });
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.readFileSync(`${file}.unreadable-${STAMP}`, 'utf8')).toBe('{ half a docu');
  });

  it('never overwrites a file set aside earlier at the same time', () => {
    const file = path.join(dir, 'agents.json');
    fs.writeFileSync(file, 'first');
    const first = setAside(file, 'r', NOW);
    fs.writeFileSync(file, 'second');
    const second = setAside(file, 'r', NOW);
    expect(second?.backupPath).not.toBe(first?.backupPath);
    expect(fs.readFileSync(first?.backupPath ?? '', 'utf8')).toBe('first');
    expect(fs.readFileSync(second?.backupPath ?? '', 'utf8')).toBe('second');
  });

  it('is undefined when the file is already gone (another process kept it)', () => {
    expect(setAside(path.join(dir, 'gone.json'), 'r', NOW)).toBeUndefined();
  });
});

describe('loadJson', () => {
  it('tells a missing file from a good one', () => {
    const file = path.join(dir, 'doc.json');
    expect(loadJson(file, docSchema, NOW)).toEqual({ kind: 'missing' });
    fs.writeFileSync(file, JSON.stringify({ version: 1, names: ['a'] }));
    expect(loadJson(file, docSchema, NOW)).toEqual({ kind: 'ok', value: { version: 1, names: ['a'] } });
  });

  it('sets aside a file that is not JSON', () => {
    const file = path.join(dir, 'doc.json');
    fs.writeFileSync(file, '{"version": 1, "names": [');
    const loaded = loadJson(file, docSchema, NOW);
    expect(loaded).toMatchObject({ kind: 'set-aside', recovery: { file, backupPath: `${file}.unreadable-${STAMP}` } });
    expect(loaded.kind === 'set-aside' && loaded.recovery.reason).toMatch(/not JSON/);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('sets aside a file the schema refuses, naming the field at fault', () => {
    const file = path.join(dir, 'doc.json');
    fs.writeFileSync(file, JSON.stringify({ version: 1, names: ['a', 7] }));
    const loaded = loadJson(file, docSchema, NOW);
    expect(loaded.kind === 'set-aside' && loaded.recovery.reason).toMatch(/names\.1/);
  });

  it('takes a parse function too, and sets aside what it throws on', () => {
    const file = path.join(dir, 'doc.json');
    fs.writeFileSync(file, '[1,2]');
    expect(loadJson(file, (raw) => (raw as number[]).length, NOW)).toEqual({ kind: 'ok', value: 2 });
    const loaded = loadJson(
      file,
      () => {
        throw new Error('written by a newer Rackdeck');
      },
      NOW,
    );
    expect(loaded).toMatchObject({ kind: 'set-aside', recovery: { reason: 'written by a newer Rackdeck' } });
  });

  it('does the same without blocking', async () => {
    const file = path.join(dir, 'shard-00.json');
    expect(await loadJsonAsync(file, docSchema, NOW)).toEqual({ kind: 'missing' });
    fs.writeFileSync(file, '');
    expect(await loadJsonAsync(file, docSchema, NOW)).toMatchObject({ kind: 'set-aside', recovery: { backupPath: `${file}.unreadable-${STAMP}` } });
  });
});

describe('readJsonFile', () => {
  it('is undefined for a missing file and throws, naming the file and leaving it in place, for a damaged one', () => {
    const file = path.join(dir, 'known-hosts.json');
    expect(readJsonFile(file, docSchema)).toBeUndefined();
    fs.writeFileSync(file, JSON.stringify({ version: 2, names: [] }));
    expect(() => readJsonFile(file, docSchema)).toThrow(`${file} could not be read: version:`);
    expect(fs.existsSync(file)).toBe(true);
    expect(readJsonFile(file)).toEqual({ version: 2, names: [] });
  });
});

describe('atomic writes', () => {
  it('write the whole file with mode 0600 and leave no staged file', async () => {
    const file = path.join(dir, 'sub', 'doc.json');
    writeJsonAtomic(file, { version: 1, names: ['a'] });
    expect(fs.readFileSync(file, 'utf8')).toBe('{\n  "version": 1,\n  "names": [\n    "a"\n  ]\n}\n');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    await writeJsonAtomicAsync(file, { version: 1, names: [] }, { compact: true });
    expect(fs.readFileSync(file, 'utf8')).toBe('{"version":1,"names":[]}\n');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(path.join(dir, 'sub'))).toEqual(['doc.json']);
  });

  it('remove the staged file when the rename fails, and leave the target as it was', () => {
    const target = path.join(dir, 'taken');
    fs.mkdirSync(target);
    expect(() => writeFileAtomic(target, 'data')).toThrow();
    expect(fs.statSync(target).isDirectory()).toBe(true);
    expect(staged()).toEqual([]);
  });

  it('name their staged files so a crash leftover can be traced to its file', () => {
    expect(stagedWriteTarget('shard-03.json.0123456789ab.tmp')).toBe('shard-03.json');
    expect(stagedWriteTarget('shard-03.json')).toBeUndefined();
    expect(stagedWriteTarget('.shard-03.json.tmp')).toBeUndefined();
  });
});

describe('fileStamp', () => {
  it('changes when another writer replaces the file, and is undefined without one', () => {
    const file = path.join(dir, 'agents.json');
    expect(fileStamp(file)).toBeUndefined();
    writeJsonAtomic(file, { a: 1 });
    const before = fileStamp(file);
    expect(before).toBeDefined();
    expect(fileStamp(file)).toBe(before);
    writeJsonAtomic(file, { a: 22 });
    expect(fileStamp(file)).not.toBe(before);
  });
});
