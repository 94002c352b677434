/**
 * Console websockets over real TLS: the termproxy protocol with a shell behind it, RFB for
 * vncproxy, and refusal of API-token sessions and bad console tickets. The lab runs PVE 8.4
 * here, the release that refuses tokens on consoles; PVE 9's acceptance of them is in
 * proxmox-pve9.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startProxmoxCluster, type ProxmoxClusterHandle } from '../../src/lab/proxmox/index';
import { fakeNodeHost, labCall } from '../../src/lab/proxmox/test-kit';

let lab: ProxmoxClusterHandle;
let session: { ticket: string; csrf: string };
/** pveproxy sends the port as a JSON string. */
type Grant = { user: string; ticket: string; port: string; upid: string; cert?: string };

/** A websocket whose binary messages are read as one byte stream. */
class Stream {
  private buf = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  closed = false;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      this.buf = Buffer.concat([this.buf, data]);
      this.wake();
    });
    ws.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  private wait(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timeout; have ${JSON.stringify(this.buf.toString('latin1').slice(-200))}`)), timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  async read(n: number, timeoutMs = 3000): Promise<Buffer> {
    while (this.buf.length < n) {
      if (this.closed) throw new Error('closed');
      await this.wait(timeoutMs);
    }
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }

  async until(text: string, timeoutMs = 3000): Promise<string> {
    for (;;) {
      const s = this.buf.toString('utf8');
      const at = s.indexOf(text);
      if (at >= 0) {
        const upto = Buffer.byteLength(s.slice(0, at + text.length));
        this.buf = this.buf.subarray(upto);
        return s.slice(0, at + text.length);
      }
      if (this.closed) throw new Error(`closed before ${JSON.stringify(text)}; got ${JSON.stringify(s)}`);
      await this.wait(timeoutMs);
    }
  }

  async closedWithin(timeoutMs = 2000): Promise<boolean> {
    const end = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < end) await this.wait(end - Date.now()).catch(() => undefined);
    return this.closed;
  }

  pending(): string {
    return this.buf.toString('utf8');
  }
}

function open(path: string, grant: Grant, headers: Record<string, string>): Promise<Stream> {
  const url = `${lab.url.replace('https', 'wss')}/api2/json${path}?port=${grant.port}&vncticket=${encodeURIComponent(grant.ticket)}`;
  const ws = new WebSocket(url, 'binary', { ca: lab.certPem, headers });
  const stream = new Stream(ws);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(stream));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode} ${res.statusMessage}`)));
    ws.once('error', reject);
  });
}

const cookie = (): Record<string, string> => ({ Cookie: `PVEAuthCookie=${encodeURIComponent(session.ticket)}` });

async function grant(path: string, params: Record<string, string | number> = {}, withToken = false): Promise<Grant> {
  const res = await labCall<Grant>(lab.url, path, {
    method: 'POST',
    auth: withToken ? { token: lab.credentials.adminToken.header } : { ticket: session.ticket, csrf: session.csrf },
    params,
    ca: lab.certPem,
  });
  expect(res.status, res.reason).toBe(200);
  return res.body?.data as Grant;
}

const frame = (text: string): string => `0:${Buffer.byteLength(text)}:${text}`;

beforeAll(async () => {
  lab = await startProxmoxCluster({ nodes: [fakeNodeHost('pve1'), fakeNodeHost('pve2')], version: 8, guests: 8, taskDelayMs: 5, authFailDelayMs: 0, certificateKey: 'ec' });
  const login = await labCall<{ ticket: string; CSRFPreventionToken: string }>(lab.url, '/access/ticket', {
    method: 'POST',
    params: { username: 'root@pam', password: lab.credentials.user.password },
    ca: lab.certPem,
  });
  session = { ticket: login.body?.data.ticket ?? '', csrf: login.body?.data.CSRFPreventionToken ?? '' };
});

afterAll(async () => {
  await lab?.stop();
});

describe('termproxy', () => {
  it('runs the node shell: OK after the ticket line, prompt, echo, and answers', async () => {
    const g = await grant('/nodes/pve1/termproxy');
    expect(g.user).toBe('root@pam');
    expect(g.port).toMatch(/^\d+$/);
    expect(Number(g.port)).toBeGreaterThanOrEqual(5900);
    expect(g.ticket).toMatch(/^PVEVNC:[0-9A-F]{8}::/);
    const term = await open('/nodes/pve1/vncwebsocket', g, cookie());
    expect(term.ws.protocol).toBe('binary');
    term.ws.send(Buffer.from(`${g.user}:${g.ticket}\n`));
    expect((await term.read(2)).toString()).toBe('OK');
    await term.until('root@pve1:~# ');
    term.ws.send(Buffer.from('1:120:40:'));
    term.ws.send(Buffer.from('2'));
    term.ws.send(Buffer.from(frame('uname -a')));
    term.ws.send(Buffer.from(frame('\r')));
    const out = await term.until('root@pve1:~# ');
    expect(out).toContain('uname -a\r\n');
    expect(out).toMatch(/Linux pve1 6\.8\.12-\d+-pve .* x86_64 GNU\/Linux\r\n/);
    term.ws.send(Buffer.from(frame('hostname\rfrobnicate\r')));
    const more = await term.until('frobnicate: command not found\r\n');
    expect(more).toContain('pve1\r\n');
    term.ws.send(Buffer.from(frame('exit\r')));
    expect(await term.closedWithin()).toBe(true);
    await lab.waitForIdle(2000).catch(() => undefined);
    const status = await labCall<{ status: string; exitstatus: string; type: string }>(
      lab.url,
      `/nodes/pve1/tasks/${encodeURIComponent(g.upid)}/status`,
      { auth: { ticket: session.ticket }, ca: lab.certPem },
    );
    expect(status.body?.data).toMatchObject({ type: 'vncshell', status: 'stopped', exitstatus: 'OK' });
  });

  it("uses the container's name in the prompt", async () => {
    const ct = lab.vmids().map((v) => lab.guest(v).info()).find((x) => x.type === 'lxc' && x.status === 'running');
    const g = await grant(`/nodes/${ct?.node}/lxc/${ct?.vmid}/termproxy`);
    const term = await open(`/nodes/${ct?.node}/lxc/${ct?.vmid}/vncwebsocket`, g, cookie());
    term.ws.send(Buffer.from(`${g.user}:${g.ticket}\n`));
    await term.until(`root@${ct?.name}:~# `);
    term.ws.close();
  });

  it('refuses API-token sessions after the ticket line, and bad console tickets at the upgrade', async () => {
    const g = await grant('/nodes/pve1/termproxy', {}, true);
    expect(g.user).toBe('root@pam!rackdeck');
    const term = await open('/nodes/pve1/vncwebsocket', g, { Authorization: lab.credentials.adminToken.header });
    term.ws.send(Buffer.from(`${g.user}:${g.ticket}\n`));
    expect(await term.closedWithin()).toBe(true);
    expect(term.pending()).toBe('');

    const g2 = await grant('/nodes/pve1/termproxy');
    await expect(open('/nodes/pve1/vncwebsocket', { ...g2, ticket: 'PVEVNC:00000000::forged' }, cookie())).rejects.toThrow('HTTP 401');
    await expect(open('/nodes/pve1/vncwebsocket', g2, {})).rejects.toThrow('HTTP 401');
    // A console ticket is bound to the user that asked for it.
    await expect(open('/nodes/pve1/vncwebsocket', g2, { Authorization: lab.credentials.adminToken.header })).rejects.toThrow(
      'HTTP 401 permission denied - invalid PVEVNC ticket',
    );
  });
});

describe('vncproxy (RFB)', () => {
  async function handshake(stream: Stream): Promise<{ width: number; height: number; bpp: number; name: string }> {
    expect((await stream.read(12)).toString('latin1')).toBe('RFB 003.008\n');
    stream.ws.send(Buffer.from('RFB 003.008\n', 'latin1'));
    expect([...(await stream.read(2))]).toEqual([1, 1]);
    stream.ws.send(Buffer.from([1]));
    expect((await stream.read(4)).readUInt32BE(0)).toBe(0);
    stream.ws.send(Buffer.from([1]));
    const init = await stream.read(24);
    const name = (await stream.read(init.readUInt32BE(20))).toString('utf8');
    return { width: init.readUInt16BE(0), height: init.readUInt16BE(2), bpp: init.readUInt8(4), name };
  }

  const request = (incremental: 0 | 1, w = 640, h = 400): Buffer => {
    const b = Buffer.alloc(10);
    b.writeUInt8(3, 0);
    b.writeUInt8(incremental, 1);
    b.writeUInt16BE(w, 6);
    b.writeUInt16BE(h, 8);
    return b;
  };

  it('delivers ServerInit and Raw framebuffer updates of the drawn console', async () => {
    const vm = lab.vmids().map((v) => lab.guest(v).info()).find((x) => x.type === 'qemu' && x.status === 'running' && x.qmpstatus === 'running');
    const g = await grant(`/nodes/${vm?.node}/qemu/${vm?.vmid}/vncproxy`, { websocket: 1 });
    expect(g.cert).toContain('BEGIN CERTIFICATE');
    const rfb = await open(`/nodes/${vm?.node}/qemu/${vm?.vmid}/vncwebsocket`, g, cookie());
    expect(await handshake(rfb)).toEqual({ width: 640, height: 400, bpp: 32, name: vm?.name });

    rfb.ws.send(request(0));
    const header = await rfb.read(4);
    expect(header.readUInt8(0)).toBe(0);
    expect(header.readUInt16BE(2)).toBe(1);
    const rect = await rfb.read(12);
    expect([rect.readUInt16BE(0), rect.readUInt16BE(2), rect.readUInt16BE(4), rect.readUInt16BE(6), rect.readInt32BE(8)]).toEqual([0, 0, 640, 400, 0]);
    const pixels = await rfb.read(640 * 400 * 4);
    const colours = new Set<number>();
    for (let i = 0; i < pixels.length; i += 4 * 97) colours.add(pixels.readUInt32LE(i) & 0xffffff);
    expect(colours.size).toBeGreaterThanOrEqual(3);

    // An incremental request is answered when something changes (the cursor blinks).
    rfb.ws.send(request(1));
    const next = await rfb.read(4, 2000);
    expect(next.readUInt8(0)).toBe(0);
    const r2 = await rfb.read(12);
    await rfb.read(r2.readUInt16BE(4) * r2.readUInt16BE(6) * 4);
    rfb.ws.close();
  });

  it('fails the security handshake for API-token sessions', async () => {
    const vm = lab.vmids().map((v) => lab.guest(v).info()).find((x) => x.type === 'qemu' && x.status === 'running');
    const g = await grant(`/nodes/${vm?.node}/qemu/${vm?.vmid}/vncproxy`, { websocket: 1 }, true);
    const rfb = await open(`/nodes/${vm?.node}/qemu/${vm?.vmid}/vncwebsocket`, g, { Authorization: lab.credentials.adminToken.header });
    await rfb.read(12);
    rfb.ws.send(Buffer.from('RFB 003.008\n', 'latin1'));
    expect((await rfb.read(1))[0]).toBe(0);
    const len = (await rfb.read(4)).readUInt32BE(0);
    expect((await rfb.read(len)).toString()).toBe('authentication failed');
    expect(await rfb.closedWithin()).toBe(true);
  });

  it('refuses a console for a stopped guest', async () => {
    const vm = lab.vmids().map((v) => lab.guest(v).info()).find((x) => x.type === 'qemu' && x.status === 'stopped' && !x.template);
    const res = await labCall(lab.url, `/nodes/${vm?.node}/qemu/${vm?.vmid}/vncproxy`, {
      method: 'POST',
      auth: { ticket: session.ticket, csrf: session.csrf },
      ca: lab.certPem,
    });
    expect([res.status, res.reason]).toEqual([500, `VM ${vm?.vmid} not running`]);
  });
});
