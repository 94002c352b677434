/**
 * The termproxy source against a scripted websocket and a fake clock: login first, input held
 * until the login is answered, resize after it, a keep-alive every 30 s, and the refusal.
 */
import { EventEmitter } from 'node:events';
import type WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/main/base/clock';
import { TermproxySource } from '../../src/main/consoles/io/proxmox/termproxy-source';
import type { SourceEnd } from '../../src/main/consoles/source';

class ScriptedSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  readonly sent: string[] = [];
  paused = false;
  send(data: Buffer): void {
    this.sent.push(data.toString());
  }
  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
  }
  close(code = 1005): void {
    this.readyState = 3;
    this.emit('close', code, Buffer.alloc(0));
  }
  /** The server speaks. */
  say(text: string): void {
    this.emit('message', Buffer.from(text), true);
  }
}

function open() {
  const clock = new FakeClock();
  const ws = new ScriptedSocket();
  const source = new TermproxySource(ws as unknown as WebSocket, { user: 'root@pam', ticket: 'PVEVNC:T', port: 5900 }, { clock, size: { cols: 80, rows: 24 }, what: 'The shell of pve1' });
  const out: string[] = [];
  const ends: SourceEnd[] = [];
  source.onData((chunk) => out.push(chunk.toString()));
  source.onClose((e) => ends.push(e));
  return { clock, ws, source, out, ends };
}

describe('termproxy source', () => {
  it('logs in, holds early input, then sends size and input, and keeps alive every 30 s', async () => {
    const { clock, ws, source, out } = open();
    expect(ws.sent).toEqual(['root@pam:PVEVNC:T\n']);
    source.write(Buffer.from('ls\r'));
    source.resize(100, 30);
    expect(ws.sent).toHaveLength(1);
    ws.say('OKroot@pve1:~# ');
    expect(ws.sent.slice(1)).toEqual(['1:100:30:', '0:3:ls\r']);
    expect(out).toEqual(['root@pve1:~# ']);
    await clock.advance(29_999);
    expect(ws.sent.filter((f) => f === '2')).toHaveLength(0);
    await clock.advance(1);
    await clock.advance(30_000);
    expect(ws.sent.filter((f) => f === '2')).toHaveLength(2);
    source.pause();
    expect(ws.paused).toBe(true);
    source.resume();
    expect(ws.paused).toBe(false);
  });

  it('says when Proxmox refused the login', () => {
    const { ws, ends } = open();
    ws.close(1006);
    expect(ends).toEqual([{ reason: 'Proxmox refused the console login', error: true }]);
  });

  it('tells a lost connection from a shell that ended, and stops keeping alive', async () => {
    const a = open();
    a.ws.say('OK');
    a.ws.close(1006);
    expect(a.ends[0]).toMatchObject({ error: true, reason: expect.stringMatching(/lost \(1006\)/) });
    await a.clock.advance(60_000);
    expect(a.ws.sent.filter((f) => f === '2')).toHaveLength(0);
    const b = open();
    b.ws.say('OK');
    b.ws.close(1000);
    expect(b.ends[0]).toEqual({ reason: 'The shell of pve1 ended', error: false });
  });
});
