import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyHealthDoc, HEALTH_FILE, HealthStore, healthDocSchema } from '../../src/main/health/health-store';
import { jsonFileAt } from '../../src/main/health/io/atomic-json';
import { AGENTS_FILE, AgentKeyStore, agentsDocSchema, emptyAgentsDoc } from '../../src/main/health/key-store';
import { parseAgentKey } from '../../src/main/health/keys';
import { FakeClock } from '../../src/main/base/clock';
import { memoryLogger } from '../../src/main/base/logger';

let home: string;
const clock = new FakeClock();
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-stores-'));
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

describe('empty documents', () => {
  // A missing file is an empty document written out, not parsed (no schema built at start):
  // it must stay what the schema makes of a bare document.
  it('are what the schema makes of a bare document', () => {
    expect(emptyHealthDoc()).toEqual(healthDocSchema.parse({ schemaVersion: 1 }));
    expect(emptyAgentsDoc()).toEqual(agentsDocSchema.parse({ schemaVersion: 1 }));
  });
});

describe('agent key store', () => {
  it('keeps only a salted hash: the key is in no file', () => {
    const store = new AgentKeyStore(jsonFileAt(path.join(home, AGENTS_FILE)), clock, memoryLogger());
    const { key, info } = store.create('vm1', 'first');
    expect(key).toMatch(/^rdk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    const secret = parseAgentKey(key)?.secret ?? '';
    const file = fs.readFileSync(path.join(home, 'agents.json'), 'utf8');
    expect(file).not.toContain(secret);
    expect(file).toContain(info.id);
    expect(fs.statSync(path.join(home, 'agents.json')).mode & 0o777).toBe(0o600);
    // Two keys never share a salt, so equal secrets would not share a hash either.
    store.create('vm1');
    const salts = (JSON.parse(fs.readFileSync(path.join(home, 'agents.json'), 'utf8')) as { keys: { salt: string }[] }).keys.map((k) => k.salt);
    expect(new Set(salts).size).toBe(2);
    expect(JSON.stringify(store.list())).not.toContain(secret);
    expect(store.verify(key)).toEqual({ ok: true, keyId: info.id, serverId: 'vm1' });
    expect(store.verify(`${key.slice(0, -1)}x`)).toMatchObject({ ok: false, reason: 'unknown' });
    expect(store.verify('Bearer')).toMatchObject({ ok: false, reason: 'malformed' });
    expect(store.verify(undefined)).toMatchObject({ ok: false, reason: 'missing' });
  });

  it('sees keys created and revoked by another process (the CLI beside a running Rackdeck)', () => {
    const running = new AgentKeyStore(jsonFileAt(path.join(home, AGENTS_FILE)), clock, memoryLogger());
    const cli = new AgentKeyStore(jsonFileAt(path.join(home, AGENTS_FILE)), clock, memoryLogger());
    const { key } = cli.create('vm1');
    expect(running.verify(key).ok).toBe(true);
    cli.revokeServer('vm1');
    expect(running.verify(key)).toMatchObject({ ok: false, reason: 'revoked' });
    // A write from the running one starts from what is on disk: nothing the CLI did is lost.
    running.setReceiver({ enabled: true, port: 7999 });
    expect(cli.list()).toHaveLength(1);
    expect(cli.list()[0]?.revokedAt).toBeDefined();
    expect(cli.receiver()).toMatchObject({ enabled: true, port: 7999 });
  });

  it('sets an unreadable file aside instead of overwriting it', () => {
    fs.writeFileSync(path.join(home, 'agents.json'), '{"schemaVersion": 1, "keys": [{"id": 5}]}');
    const log = memoryLogger();
    const store = new AgentKeyStore(jsonFileAt(path.join(home, AGENTS_FILE)), clock, log);
    expect(store.recovery?.backupPath).toMatch(/agents\.json\.unreadable-/);
    expect(fs.readFileSync(store.recovery?.backupPath ?? '', 'utf8')).toContain('"id": 5');
    expect(store.list()).toEqual([]);
    expect(log.lines.join('\n')).toMatch(/agents\.json could not be read/);
  });
});

describe('health store', () => {
  it('keeps options, resets and the needs-a-human latch across a restart', () => {
    const a = new HealthStore(jsonFileAt(path.join(home, HEALTH_FILE)), clock, memoryLogger());
    a.setWatch('vm1', { autoReset: true, maxAttempts: 2 });
    a.addReset({ id: 'r1', serverId: 'vm1', at: 1, source: 'auto', reason: 'stale', ok: false, taskStatus: 'running' });
    a.updateReset({ id: 'r1', serverId: 'vm1', at: 1, source: 'auto', reason: 'stale', ok: true, taskStatus: 'OK', finishedAt: 2 });
    a.setNeedsHuman('vm1', 3);
    const b = new HealthStore(jsonFileAt(path.join(home, HEALTH_FILE)), clock, memoryLogger());
    expect(b.watch('vm1')).toEqual({ autoReset: true, maxAttempts: 2 });
    expect(b.resets('vm1')).toEqual([{ id: 'r1', serverId: 'vm1', at: 1, source: 'auto', reason: 'stale', ok: true, taskStatus: 'OK', finishedAt: 2 }]);
    expect(b.needsHuman('vm1')).toBe(3);
    b.forget('vm1');
    a.refresh();
    expect(a.resets('vm1')).toEqual([]);
    expect(a.needsHuman('vm1')).toBeUndefined();
    expect(fs.readdirSync(home).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });
});
