/**
 * The session manager with fake sources and a fake clock: batching, flow control, owners and
 * their leases, closing words, and that nothing typed reaches the log.
 */
import { describe, expect, it } from 'vitest';
import type { ServerConfig } from '../../src/shared/server';
import { FakeClock } from '../../src/main/base/clock';
import { memoryLogger } from '../../src/main/base/logger';
import type { ConsoleBackend, StatsReader } from '../../src/main/consoles/backend';
import { ConsoleError } from '../../src/main/consoles/errors';
import { FlowCredit, OutputBatcher } from '../../src/main/consoles/flow';
import { ConsoleManager } from '../../src/main/consoles/manager';
import { FakeSource, Inbox } from './kit';

const OWNER = 'window-test-1';

function server(over: Partial<ServerConfig> = {}): ServerConfig {
  return { id: 'nas', name: 'nas', kind: 'physical', address: '127.0.0.1', ports: [22], createdAt: 0, ssh: { user: 'root', port: 22, auth: 'key' }, ...over } as ServerConfig;
}

function setup(opts: { servers?: ServerConfig[]; stats?: () => StatsReader } = {}) {
  const clock = new FakeClock();
  const log = memoryLogger();
  const inbox = new Inbox();
  const sources: FakeSource[] = [];
  const servers = opts.servers ?? [server()];
  const backend: ConsoleBackend = {
    server: (ref) => {
      const s = servers.find((x) => x.id === ref || x.name === ref);
      if (!s) throw new ConsoleError('not_found', `Server "${ref}" was not found`);
      return s;
    },
    openConsole: async () => {
      const s = new FakeSource();
      sources.push(s);
      return s;
    },
    openExec: async () => {
      const s = new FakeSource();
      sources.push(s);
      return s;
    },
    statsReader: () => (opts.stats ? opts.stats() : { read: async () => ({ at: clock.now(), source: 'ssh', status: 'running' }), close: () => undefined }),
  };
  const manager = new ConsoleManager({ clock, log, backend, events: inbox, flow: { highWater: 1000, lowWater: 200, batchMs: 16, batchBytes: 300 }, leaseMs: 60_000 });
  return { clock, log, inbox, sources, manager };
}

describe('flow credit and batching', () => {
  it('pauses at the high-water mark and resumes at the low-water mark, never below zero', () => {
    const c = new FlowCredit({ highWater: 100, lowWater: 20 });
    expect(c.sent(60)).toBeUndefined();
    expect(c.sent(40)).toBe('pause');
    expect(c.sent(10)).toBeUndefined();
    expect(c.acked(50)).toBeUndefined();
    expect(c.acked(50)).toBe('resume');
    expect(c.acked(1_000)).toBeUndefined();
    expect(c.unacked).toBe(0);
  });

  it('sends output after a quiet moment at once, gathers the rest per window, splits at the cap, keeps stderr apart', async () => {
    const clock = new FakeClock();
    const out: [string, string][] = [];
    const b = new OutputBatcher(clock, { batchMs: 16, batchBytes: 4 }, (d, s) => out.push([d.toString(), s]));
    b.push(Buffer.from('ab'), 'stdout');
    expect(out).toEqual([['ab', 'stdout']]);
    b.push(Buffer.from('c'), 'stdout');
    b.push(Buffer.from('d'), 'stdout');
    expect(out).toHaveLength(1);
    await clock.advance(16);
    expect(out.at(-1)).toEqual(['cd', 'stdout']);
    await clock.advance(16);
    b.push(Buffer.from('0123456789'), 'stdout');
    expect(out.slice(2)).toEqual([
      ['0123', 'stdout'],
      ['4567', 'stdout'],
      ['89', 'stdout'],
    ]);
    b.push(Buffer.from('E'), 'stderr');
    b.push(Buffer.from('o'), 'stdout');
    expect(out.at(-1)).toEqual(['E', 'stderr']);
    await clock.advance(16);
    expect(out.at(-1)).toEqual(['o', 'stdout']);
  });
});

describe('console sessions', () => {
  it('numbers output batches, passes input and resizes through, and says why it closed', async () => {
    const { manager, sources, inbox, clock } = setup();
    const info = await manager.open({ serverId: 'nas', kind: 'ssh-shell', owner: OWNER, cols: 100, rows: 30 });
    expect(info).toMatchObject({ kind: 'ssh-shell', serverName: 'nas', title: 'nas', cols: 100, rows: 30, flow: { highWater: 1000 } });
    const src = sources[0] as FakeSource;
    src.emit('hello ');
    src.emit('wor');
    src.emit('ld');
    await clock.advance(16);
    src.emit('again');
    await clock.advance(16);
    expect(inbox.chunks.get(info.sessionId)?.map((c) => [c.seq, Buffer.from(c.data, 'base64').toString()])).toEqual([
      [1, 'hello '],
      [2, 'world'],
      [3, 'again'],
    ]);
    manager.write(info.sessionId, Buffer.from('ls\r'));
    manager.resize(info.sessionId, 120, 40);
    expect(Buffer.concat(src.written).toString()).toBe('ls\r');
    expect(src.sizes).toEqual([[120, 40]]);
    src.emit('last words');
    src.exit({ reason: 'The shell exited with code 3', error: true, exitCode: 3 });
    expect(inbox.text(info.sessionId)).toBe('hello worldagainlast words');
    expect(inbox.ends.get(info.sessionId)).toEqual({ sessionId: info.sessionId, reason: 'The shell exited with code 3', error: true, exitCode: 3 });
    expect(manager.list()).toEqual([]);
    expect(() => manager.write(info.sessionId, Buffer.from('x'))).toThrow(/closed/);
  });

  it('pauses a source nobody reads and resumes it as the window acknowledges', async () => {
    const { manager, sources, inbox, clock } = setup();
    const info = await manager.open({ serverId: 'nas', kind: 'ssh-shell', owner: OWNER });
    const src = sources[0] as FakeSource;
    for (let i = 0; i < 4; i++) src.emit(Buffer.alloc(300, 0x61));
    await clock.advance(16);
    expect(inbox.delivered(info.sessionId)).toBe(1200);
    expect(src.paused).toBe(true);
    expect(manager.flowOf(info.sessionId)).toMatchObject({ unacked: 1200, paused: true, pauses: 1 });
    manager.ack(info.sessionId, 600);
    expect(src.paused).toBe(true);
    manager.ack(info.sessionId, 500);
    expect(src.paused).toBe(false);
    expect(src.resumes).toBe(1);
    // Output the window lost in transit is never acknowledged piecemeal: "all" starts afresh.
    for (let i = 0; i < 4; i++) src.emit(Buffer.alloc(300, 0x62));
    await clock.advance(16);
    expect(src.paused).toBe(true);
    manager.ack(info.sessionId, 0, true);
    expect(src.paused).toBe(false);
    expect(manager.flowOf(info.sessionId)?.unacked).toBe(0);
    // Acknowledging a session that just ended is not an error.
    src.exit({ reason: 'bye', error: false });
    expect(() => manager.ack(info.sessionId, 10)).not.toThrow();
  });

  it('closes on request with the reason given, and keeps stderr marked', async () => {
    const { manager, sources, inbox, clock } = setup();
    const info = await manager.exec({ serverId: 'nas', owner: OWNER, spec: { type: 'journal', service: 'nginx', lines: 10, follow: true } });
    expect(info.title).toBe('nas: journalctl -u nginx');
    const src = sources[0] as FakeSource;
    src.emit('out');
    src.emit('err', 'stderr');
    await clock.advance(16);
    expect(inbox.text(info.sessionId)).toBe('out');
    expect(inbox.text(info.sessionId, 'stderr')).toBe('err');
    expect(manager.close(info.sessionId, 'The view was closed')).toBe(true);
    expect(src.closedByCall).toBe(true);
    expect(inbox.ends.get(info.sessionId)).toMatchObject({ reason: 'The view was closed', error: false });
  });

  it('refuses what the server does not offer, with the reason', async () => {
    const { manager } = setup({ servers: [server({ ssh: undefined })] });
    await expect(manager.open({ serverId: 'nas', kind: 'ssh-shell', owner: OWNER })).rejects.toMatchObject({ code: 'bad_request', message: expect.stringMatching(/Set up SSH/) });
    await expect(manager.open({ serverId: 'nas', kind: 'vnc', owner: OWNER })).rejects.toMatchObject({ message: expect.stringMatching(/only Proxmox VMs/i) });
    await expect(manager.open({ serverId: 'ghost', kind: 'ssh-shell', owner: OWNER })).rejects.toMatchObject({ code: 'not_found' });
  });

  it("closes a window's sessions when it says it goes away", async () => {
    const { manager, inbox } = setup();
    const a = await manager.open({ serverId: 'nas', kind: 'ssh-shell', owner: OWNER });
    const b = await manager.open({ serverId: 'nas', kind: 'ssh-shell', owner: OWNER });
    const other = await manager.open({ serverId: 'nas', kind: 'ssh-shell', owner: 'window-test-2' });
    expect(manager.closeOwner(OWNER)).toBe(2);
    expect(inbox.ends.get(a.sessionId)?.reason).toBe('The window was closed');
    expect(inbox.ends.has(b.sessionId)).toBe(true);
    expect(manager.list().map((s) => s.sessionId)).toEqual([other.sessionId]);
  });

  it('closes the sessions that came over a connection when it closes', async () => {
    const { manager, inbox } = setup();
    const a = await manager.open({ serverId: 'nas', kind: 'ssh-shell', owner: OWNER, connection: 'socket-1' });
    const s = manager.openStats({ serverId: 'nas', owner: OWNER, connection: 'socket-1' });
    const b = await manager.open({ serverId: 'nas', kind: 'ssh-shell', owner: OWNER, connection: 'socket-2' });
    expect(manager.closeConnection('socket-1')).toBe(2);
    expect([inbox.ends.has(a.sessionId), inbox.ends.has(s.sessionId), inbox.ends.has(b.sessionId)]).toEqual([true, true, false]);
    expect(manager.closeConnection('socket-1')).toBe(0);
  });

  it('closes the sessions of a window that stopped showing signs of life, not of one that keeps alive', async () => {
    const { manager, inbox, clock } = setup();
    const quiet = await manager.open({ serverId: 'nas', kind: 'ssh-shell', owner: OWNER });
    const alive = await manager.open({ serverId: 'nas', kind: 'ssh-shell', owner: 'window-test-2' });
    for (let t = 0; t < 90_000; t += 10_000) {
      manager.keepalive('window-test-2');
      await clock.advance(10_000);
    }
    expect(inbox.ends.get(quiet.sessionId)?.reason).toBe('The window that opened it went away');
    expect(inbox.ends.has(alive.sessionId)).toBe(false);
  });

  it('streams stats until the view closes', async () => {
    let reads = 0;
    let closed = false;
    const { manager, inbox, clock } = setup({
      stats: () => ({
        read: async () => {
          reads += 1;
          if (reads === 2) throw new Error('ssh hiccup');
          return { at: 0, source: 'ssh', status: 'running', cpuPercent: reads };
        },
        close: () => void (closed = true),
      }),
    });
    const info = manager.openStats({ serverId: 'nas', owner: OWNER, intervalMs: 1000 });
    await clock.advance(2_500);
    const samples = inbox.samples.get(info.sessionId) ?? [];
    expect(samples.map((s) => s.cpuPercent ?? s.error)).toEqual([1, 'ssh hiccup', 3]);
    manager.close(info.sessionId);
    await clock.advance(5_000);
    expect(closed).toBe(true);
    expect(inbox.samples.get(info.sessionId)).toHaveLength(3);
  });

  it('never logs what is typed', async () => {
    const { manager, log } = setup();
    const info = await manager.open({ serverId: 'nas', kind: 'ssh-shell', owner: OWNER });
    manager.write(info.sessionId, Buffer.from('hunter2-secret-password\r'));
    manager.close(info.sessionId);
    expect(log.lines.join('\n')).not.toContain('hunter2');
    expect(log.lines.some((l) => l.includes('console opened'))).toBe(true);
  });

  it('refuses a session whose window closed while it was opening', async () => {
    const clock = new FakeClock();
    let release: () => void = () => undefined;
    const src = new FakeSource();
    const backend: ConsoleBackend = {
      server: () => server(),
      openConsole: () => new Promise((resolve) => (release = () => resolve(src))),
      openExec: async () => src,
      statsReader: () => ({ read: async () => ({ at: 0, source: 'ssh', status: 'x' }), close: () => undefined }),
    };
    const manager = new ConsoleManager({ clock, log: memoryLogger(), backend, events: new Inbox() });
    const opening = manager.open({ serverId: 'nas', kind: 'ssh-shell', owner: OWNER });
    manager.closeOwner(OWNER);
    release();
    await expect(opening).rejects.toThrow(/window closed/);
    expect(src.closedByCall).toBe(true);
  });
});
