import dgram from 'node:dgram';

/**
 * A DNS server for tests that answers PTR queries for the addresses it is given (NXDOMAIN for the
 * rest), on a loopback address: the scan's reverse DNS runs for real without a query leaving
 * 127.0.0.0/8.
 */
export interface PtrServer {
  /** `address:port`, as `Resolver.setServers` takes it. */
  server: string;
  queries: number;
  close(): Promise<void>;
}

function readName(msg: Buffer, offset: number): { name: string; end: number } {
  const labels: string[] = [];
  let i = offset;
  while (i < msg.length && msg[i] !== 0) {
    const len = msg[i] as number;
    labels.push(msg.subarray(i + 1, i + 1 + len).toString('ascii'));
    i += 1 + len;
  }
  return { name: labels.join('.'), end: i + 1 };
}

function encodeName(name: string): Buffer {
  const parts = name.replace(/\.$/, '').split('.').map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'ascii')]));
  return Buffer.concat([...parts, Buffer.from([0])]);
}

export async function startPtrServer(host: string, names: ReadonlyMap<string, string>): Promise<PtrServer> {
  const socket = dgram.createSocket('udp4');
  const state = { queries: 0 };
  socket.on('message', (msg, rinfo) => {
    if (msg.length < 12) return;
    state.queries++;
    const { name, end } = readName(msg, 12);
    const question = msg.subarray(12, end + 4);
    const qtype = msg.readUInt16BE(end);
    const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\.in-addr\.arpa$/i.exec(name);
    const address = m ? `${m[4]}.${m[3]}.${m[2]}.${m[1]}` : undefined;
    const answer = address !== undefined && qtype === 12 ? names.get(address) : undefined;
    const header = Buffer.alloc(12);
    header.writeUInt16BE(msg.readUInt16BE(0), 0);
    header.writeUInt16BE(answer ? 0x8180 : 0x8183, 2);
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answer ? 1 : 0, 6);
    const parts: Uint8Array[] = [header, question];
    if (answer) {
      const rdata = encodeName(answer);
      const rr = Buffer.alloc(12);
      rr.writeUInt16BE(0xc00c, 0);
      rr.writeUInt16BE(12, 2);
      rr.writeUInt16BE(1, 4);
      rr.writeUInt32BE(60, 6);
      rr.writeUInt16BE(rdata.length, 10);
      parts.push(rr, rdata);
    }
    socket.send(Buffer.concat(parts), rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, host, resolve));
  return {
    server: `${host}:${socket.address().port}`,
    get queries() {
      return state.queries;
    },
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
