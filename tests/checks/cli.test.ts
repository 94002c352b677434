import http from 'node:http';
import type net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useCliHome } from '../cli/cli-home';

/** `rackdeck checks` in-process on a fresh home, against a local HTTP server on 127.0.218.20. */
const { cli } = useCliHome('rackdeck-checks-cli-');
let server: http.Server;
let port = 0;

beforeAll(async () => {
  server = http.createServer((_req, res) => res.end('<h1>Welcome to the NAS</h1>'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.218.20', resolve));
  port = (server.address() as net.AddressInfo).port;
});
afterAll(() => server?.close());

describe('rackdeck checks', () => {
  it('add, list, run and remove; a bad field is refused by name and nothing is added', async () => {
    expect((await cli('add', 'nas', '--address', '127.0.218.20', '--port', String(port))).code).toBe(0);
    const added = await cli('checks', 'add', 'nas', 'http', `url=http://127.0.218.20:${port}/`, 'keyword=Welcome', 'failAfter=2');
    expect(added).toMatchObject({ code: 0, out: 'added check "http" (http) to nas; it runs every 60 s' });
    const bad = await cli('checks', 'add', 'nas', 'http', 'url=http://127.0.218.20/', 'kewyord=Welcome');
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/kewyord/);
    const list = await cli('checks', 'list', 'nas');
    expect(list.out.split('\n')).toHaveLength(2);
    expect(list.out).toMatch(/^ID\s+KIND\s+EVERY\s+STATE/);
    expect(list.out).toMatch(/http\s+http\s+60s\s+unknown/);
    const ok = await cli('checks', 'run', 'nas');
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/http\s+http\s+60s\s+ok .* 200 in \d+ ms/);
    await cli('checks', 'add', 'nas', 'http', 'id=gone', `url=http://127.0.218.20:${port}/`, 'keyword=Synology');
    const failing = await cli('checks', 'run', 'nas', 'gone', '--json');
    expect(failing.code).toBe(1);
    expect(JSON.parse(failing.out)[0].state).toMatchObject({ status: 'failing', message: '"Synology" is not on the page' });
    expect(await cli('checks', 'remove', 'nas', 'gone')).toMatchObject({ code: 0, out: 'removed check "gone" from nas' });
    expect((await cli('checks', 'remove', 'nas', 'gone')).code).toBe(1);
    expect((await cli('checks', 'add', 'nas', 'telnet')).err).toMatch(/unknown kind "telnet"/);
  });

  it('repos: added with its option, every 15 min; on a server that is not a Proxmox node it is unknown, saying why', async () => {
    expect((await cli('add', 'box', '--address', '127.0.218.21')).code).toBe(0);
    expect(await cli('checks', 'add', 'box', 'repos', 'noSubscriptionWarns=true')).toMatchObject({ code: 0, out: 'added check "repos" (repos) to box; it runs every 900 s' });
    const typo = await cli('checks', 'add', 'box', 'repos', 'id=typo', 'noSubscriptionWarn=true');
    expect(typo.code).not.toBe(0);
    expect(typo.err).toMatch(/noSubscriptionWarn/);
    const ran = await cli('checks', 'run', 'box', 'repos', '--json');
    expect(ran.code).toBe(0);
    expect(JSON.parse(ran.out)[0]).toMatchObject({ check: { kind: 'repos', noSubscriptionWarns: true }, state: { status: 'unknown', message: 'not a Proxmox node: add this check to a node Rackdeck discovered from a cluster' } });
  });
});
