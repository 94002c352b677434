import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCliHome } from './cli-home';
import { parseEcoboxConfig } from '../../src/main/store/ecobox-import';

// The examples of EcoBox's own documentation (seed 000), with loopback addresses.
const ECOBOX = `
[dashboard]
update_interval = 30
wol_retry_interval = 10
system_check_interval = 300

[[servers]]
id = "vm1"
name = "VM on Server"
hostname = "127.0.1.101"
parent_server_id = "server1"
ssh_user = "admin"

[[servers]]
id = "server1"
name = "Main Server"
hostname = "127.0.1.100"
mac_address = "aa:bb:cc:dd:ee:ff"
ssh_user = "admin"
ssh_port = 22
ssh_key_path = "/path/to/key"

[[servers]]
id = "proxmox1"
name = "Proxmox Host"
hostname = "127.0.1.10"
mac_address = "11:22:33:44:55:66"
ssh_user = "root"
ssh_key_path = "/path/to/proxmox/key"
`;

const { cli, home: homeDir } = useCliHome('rackdeck-import-');

describe('EcoBox config.toml import', () => {
  it('puts parents before children and maps every field', () => {
    const plan = parseEcoboxConfig(ECOBOX);
    expect(plan.servers.map((s) => s.name)).toEqual(['Main Server', 'Proxmox Host', 'VM on Server']);
    expect(plan.servers[0]).toMatchObject({ address: '127.0.1.100', mac: 'aa:bb:cc:dd:ee:ff', ssh: { user: 'admin', port: 22, keyPath: '/path/to/key' } });
    expect(plan.servers[2]?.parent).toBe('Main Server');
    expect(plan.settings).toEqual({ statusIntervalMs: 30_000 });
    expect(plan.notes.join(' ')).toMatch(/reconcile interval/);
  });

  it('refuses bad files naming the entry at fault', () => {
    expect(() => parseEcoboxConfig('[[servers]\nid=')).toThrow(/not valid TOML/);
    expect(() => parseEcoboxConfig('[[servers]]\nid = "a"\nhostname = "x y"')).toThrow(/servers "a": address/);
    expect(() => parseEcoboxConfig('[[servers]]\nid = "a"\nhostname = "h"\nparent_server_id = "zz"')).toThrow(/"zz" is not in the file/);
    expect(() => parseEcoboxConfig('[[servers]]\nhostname = "h"')).toThrow(/servers\.0\.id/);
  });

  it('imports through the CLI, and imports nothing when a name is taken', async () => {
    const file = path.join(homeDir(), 'config.toml');
    fs.writeFileSync(file, ECOBOX);
    expect((await cli('import', file, '--dry-run')).out).toContain('would add VM on Server (127.0.1.101) under Main Server');
    expect(JSON.parse((await cli('list', '--json')).out)).toEqual([]);
    const r = await cli('import', file);
    expect(r.code).toBe(0);
    const servers = JSON.parse((await cli('list', '--json')).out) as { name: string; id: string; parentId?: string }[];
    const main = servers.find((s) => s.name === 'Main Server');
    expect(servers.find((s) => s.name === 'VM on Server')?.parentId).toBe(main?.id);
    const again = await cli('import', file);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/already exists; nothing was imported/);
    expect(JSON.parse((await cli('list', '--json')).out)).toHaveLength(3);
  });
});
